/*
 * The map module's private header: the tables that
 * scripts/china-map/convert.js generates into map_data.c and map.c draws.
 * All coordinates are in the units of the SVG viewBox
 * (0 0 map_width map_height), y growing downwards.
 */
#ifndef JICENG_MAP_DATA_H
#define JICENG_MAP_DATA_H

#include <stddef.h>

/* Projected (x, y), y northwards, to the viewBox: (x0 + s x, y0 - s y). */
struct map_affine {
	double	 scale;
	double	 x;
	double	 y;
};

/* Albers equal-area conic on the sphere; angles in degrees. */
struct map_projection {
	double	 lon0;		/* central meridian */
	double	 lat0;		/* latitude of the origin */
	double	 lat1;		/* standard parallels */
	double	 lat2;
	struct map_affine main;	/* the map proper */
	struct map_affine inset;	/* the South China Sea inset */
	double	 inset_south_of;	/* places south of it go in the inset */
};

struct map_frame {
	double	 x, y, w, h;	/* the inset's frame */
	double	 label_x;	/* right end of its name's baseline */
	double	 label_y;
};

struct map_shape {
	const char	*name;	/* full name, as the statistics bureau lists it */
	const char	*label;	/* short name drawn on the map */
	int		 label_x;	/* centre of the label's baseline, -1: none */
	int		 label_y;
	const char	*path;	/* SVG path data */
};

/* A prefecture's (or county's) centre from the province maps. */
struct map_place {
	const char	*province;	/* full name */
	const char	*name;		/* as the source spells it */
	double		 lon;		/* degrees east */
	double		 lat;		/* degrees north */
};

extern const struct map_projection map_projection;
extern const int map_width;
extern const int map_height;
extern const int map_label_size;
extern const struct map_frame map_inset_frame;
extern const struct map_shape map_shapes[];
extern const size_t map_nshapes;
extern const char map_inset_china[];	/* Chinese land in the inset */
extern const char map_inset_land[];	/* neighbouring countries */
extern const char map_inset_islands[];	/* one zero-length subpath each */
extern const char map_inset_dashes[];	/* open polylines */
extern const struct map_place map_places[];
extern const size_t map_nplaces;

#endif
