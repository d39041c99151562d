/*
 * The reference document frequencies of Han bigrams (generated table,
 * see scripts/idf/make-idf.js).  Private to model/.
 */
#ifndef JICENG_IDF_DATA_H
#define JICENG_IDF_DATA_H

#include <stddef.h>
#include <stdint.h>

struct idf_entry {
	uint64_t key;		/* (first code point << 21) | second */
	unsigned documents;	/* reference articles holding the bigram */
};

extern const unsigned idf_documents;
extern const size_t idf_count;
extern const struct idf_entry idf_table[];	/* sorted by key */

#endif
