print("rdnas")
