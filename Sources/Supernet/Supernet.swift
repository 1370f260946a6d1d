// Supernet target
