// Search target
