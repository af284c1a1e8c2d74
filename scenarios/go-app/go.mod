module stagebench/go-app

go 1.19
