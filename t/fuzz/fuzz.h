/* fuzz.h: shared by the libFuzzer harnesses in t/fuzz/ (make fuzz). Each
 * harness feeds one library parser arbitrary bytes and checks what it
 * promises; a broken promise aborts, which libFuzzer reports as a crash. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define REQUIRE(c)	do { if (!(c)) abort(); } while (0)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* A NUL-terminated copy of data (the caller frees it). */
static char *
fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	REQUIRE(s != NULL);
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
