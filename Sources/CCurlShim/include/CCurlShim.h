#ifndef HIT_CCURLSHIM_H
#define HIT_CCURLSHIM_H

// Swift cannot call C variadic functions, and curl_easy_setopt/curl_easy_getinfo
// are variadic. This shim gives each argument type its own typed function.

#include <curl/curl.h>

/// CURLAUTH_BASIC, which Swift cannot import: the macro contains a cast.
static const long hit_curlauth_basic = (long)CURLAUTH_BASIC;

/// libcurl's version as 0xXXYYZZ (major, minor, patch), from curl_version_info.
unsigned int hit_curl_version_number(void);

/// Calls curl_global_init(CURL_GLOBAL_DEFAULT). Call once, before any thread uses libcurl.
CURLcode hit_curl_global_init(void);

CURLcode hit_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode hit_easy_setopt_off(CURL *handle, CURLoption option, curl_off_t value);
CURLcode hit_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode hit_easy_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode hit_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);

CURLcode hit_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode hit_easy_getinfo_off(CURL *handle, CURLINFO info, curl_off_t *value);

CURLMcode hit_multi_setopt_long(CURLM *multi, CURLMoption option, long value);

/// Installs a write callback that adds the size of every body chunk to *counter
/// and discards the data, so bodies are counted without ever being buffered.
CURLcode hit_easy_count_and_discard_body(CURL *handle, curl_off_t *counter);

/// The result code carried by a CURLMSG_DONE message (a union member in C).
CURLcode hit_multi_msg_result(const CURLMsg *message);

#endif
