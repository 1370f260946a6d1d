// Training target
