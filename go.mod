module github.com/y-l-g/websocket

go 1.26

tool github.com/magefile/mage

require (
	github.com/gobwas/ws v1.5.0
	github.com/magefile/mage v1.17.2
)

require github.com/gobwas/httphead v0.1.0 // indirect
