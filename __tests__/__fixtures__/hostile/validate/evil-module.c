/* A module whose constructor runs when it is dlopen()ed: proof that a check loaded it. */
#include <stdio.h>
__attribute__((constructor)) static void ran(void) {
  FILE *f = fopen(MARKER, "w");
  if (f) { fputs("the module's constructor ran\n", f); fclose(f); }
}
