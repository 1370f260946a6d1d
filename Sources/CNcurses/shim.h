#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncursesw/ncurses.h>
// Swift 6 rejects ncurses' mutable C globals and cannot import its function-like macros;
// these accessors are the only way the Monitor reaches them.
static inline WINDOW *rd_stdscr(void) { return stdscr; }
static inline int rd_cols(void) { return COLS; }
static inline int rd_lines(void) { return LINES; }
static inline int rd_colors(void) { return COLORS; }
static inline attr_t rd_a_bold(void) { return A_BOLD; }
static inline attr_t rd_a_reverse(void) { return A_REVERSE; }
static inline attr_t rd_a_dim(void) { return A_DIM; }
static inline attr_t rd_a_underline(void) { return A_UNDERLINE; }
static inline attr_t rd_color_pair(int n) { return COLOR_PAIR(n); }
static inline int rd_color_pairs(void) { return COLOR_PAIRS; }

// Mouse: the button masks are macros built from NCURSES_MOUSE_MASK, which Swift cannot import.
// rd_mouse_next reads one pending mouse event: kind 1 = left press, 2 = wheel up, 3 = wheel down, 0 = other.
static inline mmask_t rd_mouse_mask(void) { return BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED; }
static inline int rd_mouse_next(int *x, int *y) {
  MEVENT e;
  if (getmouse(&e) != OK) return -1;
  *x = e.x; *y = e.y;
  if (e.bstate & BUTTON1_PRESSED) return 1;
  if (e.bstate & BUTTON4_PRESSED) return 2;
  if (e.bstate & BUTTON5_PRESSED) return 3;
  return 0;
}
