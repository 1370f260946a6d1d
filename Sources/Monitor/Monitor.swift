// Monitor target
