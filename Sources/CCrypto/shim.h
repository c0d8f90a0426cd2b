#ifndef CCRYPTO_SHIM_H
#define CCRYPTO_SHIM_H
/* OpenSSL's libcrypto: one-shot digests and MACs (no handles kept between calls). */
#include <openssl/evp.h>
#include <openssl/err.h>
#endif
