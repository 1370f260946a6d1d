// Data target
