// zlib (Debian: zlib1g-dev), for the deflate inside HdrHistogram's compressed encoding.
#include <zlib.h>
