#include "shr-cli.h"
#include <stdio.h>
int
shr_cmd_extract (int argc, char **argv)
{
  fprintf (stderr, "shirase extract: not built yet\n");
  return 1;
}
