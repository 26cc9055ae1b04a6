//go:build cgo && !nopogophp

// C side of the pogo_websocket PHP extension: parses arguments with zero
// copies and passes views of the zend_strings to Go (ext.go). The Go side
// copies what it keeps before returning.
#include "pogows.h"
#include <ext/standard/info.h>
#include "pogows_arginfo.h"
#include "_cgo_export.h"

// gostr views a zend_string as a Go string without copying; NULL gives "".
static inline GoString gostr(zend_string *s) {
	GoString g = { NULL, 0 };
	if (s != NULL) {
		g.p = ZSTR_VAL(s);
		g.n = (ptrdiff_t)ZSTR_LEN(s);
	}
	return g;
}

PHP_FUNCTION(pogo_websocket_publish)
{
	zend_string *app, *channel, *event, *data, *except = NULL;

	ZEND_PARSE_PARAMETERS_START(4, 5)
		Z_PARAM_STR(app)
		Z_PARAM_STR(channel)
		Z_PARAM_STR(event)
		Z_PARAM_STR(data)
		Z_PARAM_OPTIONAL
		Z_PARAM_STR_OR_NULL(except)
	ZEND_PARSE_PARAMETERS_END();

	RETURN_LONG((zend_long)go_pogo_websocket_publish(gostr(app), gostr(channel), gostr(event), gostr(data), gostr(except)));
}

PHP_FUNCTION(pogo_websocket_broadcast_multi)
{
	zend_string *app, *channels, *event, *data, *except = NULL;

	ZEND_PARSE_PARAMETERS_START(4, 5)
		Z_PARAM_STR(app)
		Z_PARAM_STR(channels)
		Z_PARAM_STR(event)
		Z_PARAM_STR(data)
		Z_PARAM_OPTIONAL
		Z_PARAM_STR_OR_NULL(except)
	ZEND_PARSE_PARAMETERS_END();

	RETURN_LONG((zend_long)go_pogo_websocket_broadcast_multi(gostr(app), gostr(channels), gostr(event), gostr(data), gostr(except)));
}

PHP_MINFO_FUNCTION(pogo_websocket)
{
	php_info_print_table_start();
	php_info_print_table_header(2, "pogo_websocket support", "enabled");
	php_info_print_table_end();
}

zend_module_entry pogows_module_entry = {
	STANDARD_MODULE_HEADER,
	"pogo_websocket",
	ext_functions,
	NULL, /* MINIT */
	NULL, /* MSHUTDOWN */
	NULL, /* RINIT */
	NULL, /* RSHUTDOWN */
	PHP_MINFO(pogo_websocket),
	"0.1.0",
	STANDARD_MODULE_PROPERTIES
};
