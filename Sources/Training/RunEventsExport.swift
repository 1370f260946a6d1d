// Training's public API speaks in run events (`Trainer.addSink` hands out `TrainerEvent`s, commands arrive
// as `TrainerCommand`s), so whoever imports Training sees those types without a second import. They live
// in their own target so the monitor can read runs without linking the engine.
@_exported import RunEvents
