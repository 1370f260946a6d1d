#include <turbojpeg.h>
#include <png.h>
