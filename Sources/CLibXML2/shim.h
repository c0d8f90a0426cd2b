#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H

/* Debian's libxml2 is built with ICU: <libxml/encoding.h> pulls in <unicode/ucnv.h>,
   whose types clash with the ICU copy inside Swift's Foundation. encoding.h only needs
   a UConverter pointer and a UChar array, so skip the ICU header and stand in for both. */
#define UCNV_H 1
#define UConverter cxml_UConverter
#define UChar cxml_UChar
typedef struct cxml_UConverter cxml_UConverter;
typedef unsigned short cxml_UChar;

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlwriter.h>
#include <libxml/HTMLparser.h>
#include <libxml/xmlerror.h>
#include <libxml/uri.h>

#undef UChar
#undef UConverter
#undef UCNV_H

/* xmlFree is a global function pointer, which Swift 6 rejects as shared mutable state. */
static inline void cxml_free(void *pointer) { xmlFree(pointer); }

/* Some errors libxml2 2.9 reports only through its generic error function, which prints
   to stderr by default ("xmlParseChunk: encoder error" for bytes the declared encoding
   cannot decode). The function is variadic, so Swift cannot supply one: this one drops
   them, for the calling thread (the handler is per thread). */
static inline void cxml_ignore_generic_error(void *context, const char *message, ...) {
    (void)context;
    (void)message;
}
static inline void cxml_silence_generic_errors(void) { xmlSetGenericErrorFunc(NULL, cxml_ignore_generic_error); }

#endif
