/* version: the release of the tend suite, printed by every program's -V. */
#ifndef VERSION_H
#define VERSION_H

#define TEND_VERSION	"0.1.0"

#endif
