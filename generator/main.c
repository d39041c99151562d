#include <stdio.h>

int
main(void)
{
	fputs("jiceng: not built yet\n", stderr);
	return 2;
}
