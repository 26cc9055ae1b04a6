#ifndef POGOWS_H
#define POGOWS_H

#include <php.h>

extern zend_module_entry pogows_module_entry;

#endif
