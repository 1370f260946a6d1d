// Ranking target
