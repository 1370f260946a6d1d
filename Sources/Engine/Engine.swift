// Engine target
