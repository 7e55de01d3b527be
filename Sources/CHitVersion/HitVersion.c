// The version lives in include/HitVersion.h; a C target needs a source file.
#include "HitVersion.h"
