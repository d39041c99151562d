#include "paging.h"

size_t
paging_parts(size_t n, size_t per)
{
	return n == 0 ? 1 : (n + per - 1) / per;
}

void
paging_range(size_t n, size_t per, size_t part, size_t *from, size_t *to)
{
	*from = (part - 1) * per;
	*to = *from + per < n ? *from + per : n;
	if (*from > n)
		*from = n;
}

size_t
paging_part_of(size_t i, size_t per)
{
	return i / per + 1;
}
