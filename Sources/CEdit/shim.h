// libedit (histedit) for the mlus REPL.
// el_set/history are C variadic functions, which Swift cannot call, so the calls the REPL needs
// are wrapped here as fixed-argument inline functions.
#include <stdio.h>
#include <wchar.h>
#include <histedit.h>

typedef char *(*mlus_prompt_fn)(EditLine *);
typedef unsigned char (*mlus_command_fn)(EditLine *, int);
typedef int (*mlus_getc_fn)(EditLine *, wchar_t *);

static inline int mlus_el_set_prompt(EditLine *e, mlus_prompt_fn f) { return el_set(e, EL_PROMPT, f); }
static inline int mlus_el_set_editor(EditLine *e, const char *mode) { return el_set(e, EL_EDITOR, mode); }
static inline int mlus_el_set_history(EditLine *e, History *h) { return el_set(e, EL_HIST, history, h); }
static inline int mlus_el_set_getc(EditLine *e, mlus_getc_fn f) { return el_set(e, EL_GETCFN, f); }
static inline int mlus_el_set_signal(EditLine *e, int on) { return el_set(e, EL_SIGNAL, on); }
static inline int mlus_el_add_command(EditLine *e, const char *name, const char *help, mlus_command_fn f) {
    return el_set(e, EL_ADDFN, name, help, f);
}
static inline int mlus_el_bind(EditLine *e, const char *key, const char *command) {
    return el_set(e, EL_BIND, key, command, (const char *)NULL);
}
static inline int mlus_el_source(EditLine *e, const char *path) { return el_source(e, path); }
/// `setty -d +noflsh`: the editing tty mode keeps pending output when Ctrl-C is pressed.
static inline int mlus_el_keep_output_on_interrupt(EditLine *e) {
    const char *argv[] = {"setty", "-d", "+noflsh", NULL};
    return el_parse(e, 3, argv);
}

static inline int mlus_history_set_size(History *h, int size) { HistEvent ev; return history(h, &ev, H_SETSIZE, size); }
static inline int mlus_history_set_unique(History *h, int on) { HistEvent ev; return history(h, &ev, H_SETUNIQUE, on); }
static inline int mlus_history_enter(History *h, const char *line) { HistEvent ev; return history(h, &ev, H_ENTER, line); }
static inline int mlus_history_load(History *h, const char *path) { HistEvent ev; return history(h, &ev, H_LOAD, path); }
static inline int mlus_history_save(History *h, const char *path) { HistEvent ev; return history(h, &ev, H_SAVE, path); }
