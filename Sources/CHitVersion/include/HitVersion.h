#ifndef HIT_VERSION_H
#define HIT_VERSION_H
/// hit's version: the one place it is written. The library reads it as `hitVersion`.
#define HIT_VERSION "0.1.0"
#endif
