#include "CCurlShim.h"

CURLcode hit_curl_global_init(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT);
}

unsigned int hit_curl_version_number(void) {
    return curl_version_info(CURLVERSION_NOW)->version_num;
}

CURLcode hit_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode hit_easy_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode hit_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode hit_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode hit_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode hit_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

CURLcode hit_easy_getinfo_off(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

CURLMcode hit_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

static size_t count_and_discard(char *data, size_t size, size_t count, void *counter) {
    (void)data;
    size_t bytes = size * count;
    *(curl_off_t *)counter += (curl_off_t)bytes;
    return bytes;
}

CURLcode hit_easy_count_and_discard_body(CURL *handle, curl_off_t *counter) {
    CURLcode code = curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, count_and_discard);
    if (code != CURLE_OK) return code;
    return curl_easy_setopt(handle, CURLOPT_WRITEDATA, (void *)counter);
}

CURLcode hit_multi_msg_result(const CURLMsg *message) {
    return message->data.result;
}
