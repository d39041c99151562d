#include "prose.h"

#include <stdlib.h>
#include <string.h>

#include "hanzi_data.h"
#include "utf8.h"

bool
prose_is_terminal(int32_t cp)
{
	return cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == '!' ||
	    cp == '?' || cp == 0x2026;
}

bool
prose_is_closer(int32_t cp)
{
	static const int32_t closers[] = {
		0x201D, 0x2019, 0xFF09, ')', 0x300D, 0x300F, 0x300B, 0x3011,
		'"', '\'',
	};
	size_t i;

	for (i = 0; i < sizeof(closers) / sizeof(closers[0]); i++)
		if (closers[i] == cp)
			return true;
	return false;
}

bool
prose_is_punct(int32_t cp)
{
	if (cp < 0x80)
		return cp > ' ' && cp < 0x7F && !((cp >= 'a' && cp <= 'z') ||
		    (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9'));
	return utf8_is_cjk_punct(cp) && cp != 0x3007;
}

static bool
is_space(int32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' ||
	    cp == 0x3000 || cp == 0x00A0;
}

bool
prose_ends_paragraph(const char *s, size_t len)
{
	static const size_t mark = sizeof(PROSE_LACUNA) - 1;
	size_t start;
	int32_t cp;

	while ((cp = utf8_last(s, len, &start)) >= 0 &&
	    (prose_is_closer(cp) || is_space(cp)))
		len = start;
	if (len >= mark && memcmp(s + len - mark, PROSE_LACUNA, mark) == 0)
		return true;
	/* A full stop after Latin text ends its sentence too. */
	return cp >= 0 && (prose_is_terminal(cp) || cp == 0xFF1A || cp == '.');
}

/*
 * Clauses of one or two characters that open sentences: the discourse
 * connectives of Chinese prose, adverbials of time, order, addition,
 * consequence, contrast and summary (目前，此外，一是，再者，综上，).  Any
 * other clause that short is the end of one whose start was lost
 * (…力量下沉，).  Longer connectives (与此同时，总而言之) never look like
 * a short clause.
 */
static const char *const short_openers[] = {
	/* Time. */
	"目前", "当前", "现在", "如今", "眼下", "当下", "近年", "近期", "近日",
	"近来", "最近", "日前", "此前", "此后", "之后", "之前", "以往", "过去",
	"今后", "未来", "将来", "当时", "那时", "此时", "这时", "彼时", "同年",
	"次年", "今年", "去年", "明年", "当年", "往年", "历年", "年初", "年内",
	"年底", "年末", "今天", "后来", "随后", "随即", "随之", "继而", "而后",
	"其后", "事后", "事前", "期间", "其间", "此间", "同期", "届时", "平时",
	"平日", "至今", "迄今", "先前", "早先", "起先", "最初", "起初", "最终",
	"最后", "末了",
	/* Order. */
	"首先", "其次", "再次", "再者", "再则", "第一", "第二", "第三", "第四",
	"第五", "第六", "第七", "第八", "第九", "第十", "其一", "其二", "其三",
	"其四", "其五", "一是", "二是", "三是", "四是", "五是", "六是", "七是",
	"八是", "九是", "十是", "一来", "二来", "三来",
	/* Addition. */
	"此外", "另外", "另则", "还有", "更有", "再说", "加之", "加上", "同时",
	"同样", "同理", "而且", "并且", "况且", "何况", "甚至", "特别", "尤其",
	"例如", "比如", "譬如", "诸如", "其中",
	/* Consequence and purpose. */
	"所以", "因此", "因而", "故而", "于是", "从而", "进而", "为此", "对此",
	"由此", "据此", "借此", "以此", "至此", "从此", "自此", "就此", "这样",
	"如此", "那么", "然后", "接着",
	/* Contrast and condition. */
	"相反", "反之", "反观", "相比", "否则", "不然", "要不", "但是", "可是",
	"然而", "不过", "只是",
	/* Stance and summary. */
	"据悉", "总之", "综上", "可见", "看来", "显然", "无疑", "当然", "其实",
	"确实", "的确", "诚然", "毕竟", "果然", "原来", "本来", "通常", "一般",
	"总体", "整体", "具体", "对于",
	/* One character. */
	"但", "而", "则", "故", "且", "又", "再", "也", "如", "若",
};

/*
 * Characters that end words far more than they start them, with the
 * characters after which they do start one (力量, 力争; 着力): a
 * paragraph opening with 力开展 has lost the 大 or 努 before it.
 */
static const struct {
	const char *tail;
	const char *starts;
} word_tails[] = {
	{ "力", "量度争求气行推抓促戒图挺保避主倡荐所" },
	{ "们", "" },
	{ "的", "确" },
	{ "地", "区方处位域点址震下面图理形铁市委级产" },
	{ "得", "到益以出力知分奖天" },
	{ "了", "解不结如却望" },
	{ "着", "力眼手重实想装陆落火急迷" },
	{ "过", "去程年渡往度硬关" },
	{ "性", "质格别能命" },
	{ "化", "解工肥学石妆验身纤" },
	{ "者", "" },
	{ "度", "过假" },
	{ "率", "先领" },
	{ "感", "谢到受觉动情恩知悟" },
	{ "之", "后前所间外一中际类" },
};

static bool
in_list(const char *s, size_t len, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(list[i]) == len && memcmp(list[i], s, len) == 0)
			return true;
	return false;
}

/* Whether s opens with the tail of a word cut off (力开展). */
static bool
opens_with_word_tail(const char *s, size_t len)
{
	size_t pos = 0, i, n;
	char next[5];
	int32_t second;

	if (utf8_next(s, len, &pos) < 0)
		return false;
	for (i = 0; i < sizeof(word_tails) / sizeof(word_tails[0]); i++) {
		n = strlen(word_tails[i].tail);
		if (n != pos || memcmp(s, word_tails[i].tail, n) != 0)
			continue;
		if ((second = utf8_next(s, len, &pos)) < 0 ||
		    !utf8_is_han(second))
			return false;
		next[utf8_encode(second, next)] = '\0';
		return strstr(word_tails[i].starts, next) == NULL;
	}
	return false;
}

enum prose_fragment
prose_fragment_start(const char *s, size_t len)
{
	size_t pos = 0, start = 0, han = 0, clause_end = 0;
	int32_t cp;

	while (start = pos, (cp = utf8_next(s, len, &pos)) >= 0 &&
	    is_space(cp))
		;
	if (cp < 0)
		return PROSE_WHOLE;
	if (cp == 0xFF0C || cp == 0x3001 || cp == 0xFF1B || cp == 0x3002 ||
	    cp == ',' || cp == ';' || cp == 0xFF1A || prose_is_closer(cp))
		return PROSE_OPENS_WITH_MARK;
	if (opens_with_word_tail(s + start, len - start))
		return PROSE_WORD_TAIL;
	/* The first clause: Chinese characters up to a comma. */
	for (pos = start; clause_end = pos,
	    (cp = utf8_next(s, len, &pos)) >= 0;) {
		if (cp == 0xFF0C || cp == 0x3001)
			break;
		if (!utf8_is_han(cp) || ++han > 2)
			return PROSE_WHOLE;
	}
	if (cp < 0 || han == 0)
		return PROSE_WHOLE;
	return in_list(s + start, clause_end - start, short_openers,
	    sizeof(short_openers) / sizeof(short_openers[0])) ?
	    PROSE_WHOLE : PROSE_SHORT_CLAUSE;
}

static bool
is_lower(int32_t cp)
{
	return cp >= 'a' && cp <= 'z';
}

/* The nearest code point before byte at that is not a space, or -1. */
static int32_t
han_before(const char *s, size_t at)
{
	size_t start;
	int32_t cp;

	while ((cp = utf8_last(s, at, &start)) >= 0 && cp == ' ')
		at = start;
	return cp;
}

static int32_t
han_after(const char *s, size_t len, size_t at)
{
	int32_t cp;

	while ((cp = utf8_next(s, len, &at)) >= 0 && cp == ' ')
		;
	return cp;
}

bool
prose_next_latin_word(const char *s, size_t len, size_t *pos, size_t *start,
    size_t *end)
{
	size_t i = *pos, j;
	int32_t left, right;

	while (i < len) {
		if (!is_lower((unsigned char)s[i]) || (i > 0 &&
		    ((unsigned char)s[i - 1] < 0x80 && s[i - 1] != ' '))) {
			i++;
			continue;
		}
		for (j = i; j < len && (unsigned char)s[j] < 0x80 &&
		    is_lower((unsigned char)s[j]); j++)
			;
		left = han_before(s, i);
		right = han_after(s, len, j);
		if ((j == len || (unsigned char)s[j] >= 0x80 || s[j] == ' ') &&
		    left >= 0 && utf8_is_han(left) && right >= 0 &&
		    utf8_is_han(right)) {
			*start = i;
			*end = j;
			*pos = j;
			return true;
		}
		i = j;
	}
	*pos = len;
	return false;
}

const char *
prose_latin_meaning(const char *word, size_t len)
{
	static const struct {
		const char *latin;
		const char *han;
	} meanings[] = {
		{ "and", "和" }, { "or", "或" },
	};
	size_t i;

	for (i = 0; i < sizeof(meanings) / sizeof(meanings[0]); i++)
		if (strlen(meanings[i].latin) == len &&
		    memcmp(meanings[i].latin, word, len) == 0)
			return meanings[i].han;
	return NULL;
}

static int
compare_pair(const void *key, const void *elem)
{
	int32_t cp = *(const int32_t *)key;
	const struct hanzi_pair *p = elem;

	return cp < p->traditional ? -1 : cp > p->traditional;
}

int32_t
prose_simplified(int32_t cp)
{
	const struct hanzi_pair *p;

	if (cp < 0x3400 || (cp < 0x10000 &&
	    !(hanzi_traditional_bmp[cp >> 5] >> (cp & 31) & 1)))
		return -1;
	p = bsearch(&cp, hanzi_traditional, hanzi_traditional_count,
	    sizeof(*hanzi_traditional), compare_pair);
	return p != NULL ? p->simplified : -1;
}
