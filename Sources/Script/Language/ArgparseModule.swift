/// The `argparse` module, written in mlus itself (the subset porting scripts use). Differences from
/// CPython: positional arguments may be freely intermixed with options (like `parse_intermixed_args`),
/// and help text layout is simpler.
let argparseSource = #"""
"""argparse for mlus: the subset porting scripts use (options, positionals, types, choices, nargs,
store_true/false/const, append, count, required, defaults, help)."""
import sys
import os

SUPPRESS = "==SUPPRESS=="


class Namespace:
    def __init__(self, **kwargs):
        for k, v in kwargs.items():
            setattr(self, k, v)

    def __repr__(self):
        return "Namespace(" + ", ".join(k + "=" + repr(v) for k, v in vars(self).items()) + ")"

    def __eq__(self, other):
        return isinstance(other, Namespace) and vars(self) == vars(other)

    def __contains__(self, key):
        return key in vars(self)


class ArgumentError(Exception):
    pass


class _Action:
    def __init__(self, option_strings, dest, action, nargs, const, default, type, choices, required, help, metavar):
        self.option_strings = option_strings
        self.dest = dest
        self.action = action
        self.nargs = nargs
        self.const = const
        self.default = default
        self.type = type
        self.choices = choices
        self.required = required
        self.help = help
        self.metavar = metavar

    def display(self):
        if self.option_strings:
            return "/".join(self.option_strings)
        return self.metavar or self.dest

    def takes_value(self):
        return self.action in ("store", "append")


def _is_negative_number(s):
    try:
        float(s)
        return s.startswith("-")
    except ValueError:
        return False


def _looks_optional(s):
    return s.startswith("-") and s != "-" and not _is_negative_number(s)


class ArgumentParser:
    def __init__(self, prog=None, usage=None, description=None, epilog=None, formatter_class=None,
                 add_help=True, allow_abbrev=True, **kwargs):
        self.prog = prog if prog is not None else os.path.basename(sys.argv[0] if sys.argv else "mlus")
        self.usage = usage
        self.description = description
        self.epilog = epilog
        self.allow_abbrev = allow_abbrev
        self.actions = []
        self.by_option = {}
        if add_help:
            self.add_argument("-h", "--help", action="help", help="show this help message and exit")

    def add_argument(self, *names, action="store", nargs=None, const=None, default=None, type=None,
                     choices=None, required=None, help=None, metavar=None, dest=None):
        if not names:
            raise ValueError("add_argument() needs at least one name")
        if names[0].startswith("-"):
            long_names = [n for n in names if n.startswith("--")]
            if dest is None:
                dest = (long_names[0] if long_names else names[0]).lstrip("-").replace("-", "_")
            if required is None:
                required = False
            option_strings = list(names)
        else:
            if len(names) > 1:
                raise ValueError("invalid option string " + repr(names[1]) + ": must start with a character '-'")
            if dest is not None:
                raise ValueError("dest supplied twice for positional argument")
            dest = names[0]
            if required is None:
                required = nargs not in ("?", "*")
            option_strings = []
        if action == "store_true":
            nargs, const, default = 0, True, False if default is None else default
        elif action == "store_false":
            nargs, const, default = 0, False, True if default is None else default
        elif action == "store_const":
            nargs = 0
        elif action == "count":
            nargs = 0
        elif action == "help":
            nargs, default, dest = 0, SUPPRESS, SUPPRESS
        elif action not in ("store", "append"):
            raise ValueError("unknown action " + repr(action))
        if action in ("store", "append") and nargs == 0:
            raise ValueError("nargs for store actions must be != 0")
        act = _Action(option_strings, dest, action, nargs, const, default, type, choices, required, help, metavar)
        self.actions.append(act)
        for n in option_strings:
            self.by_option[n] = act
        return act

    def add_argument_group(self, *args, **kwargs):
        return self

    def set_defaults(self, **kwargs):
        for act in self.actions:
            if act.dest in kwargs:
                act.default = kwargs[act.dest]
        self._extra_defaults = kwargs

    def parse_args(self, args=None, namespace=None):
        ns, extras = self.parse_known_args(args, namespace)
        if extras:
            self.error("unrecognized arguments: " + " ".join(extras))
        return ns

    def _convert(self, act, s):
        value = s
        if act.type is not None:
            try:
                value = act.type(s)
            except (TypeError, ValueError):
                name = getattr(act.type, "__name__", repr(act.type))
                self.error("argument " + act.display() + ": invalid " + name + " value: " + repr(s))
        if act.choices is not None and value not in act.choices:
            self.error("argument " + act.display() + ": invalid choice: " + repr(value) + " (choose from "
                       + ", ".join(repr(c) for c in act.choices) + ")")
        return value

    def _find_option(self, name):
        if name in self.by_option:
            return self.by_option[name]
        if self.allow_abbrev and name.startswith("--"):
            matches = [o for o in self.by_option if o.startswith(name)]
            if len(matches) == 1:
                return self.by_option[matches[0]]
            if len(matches) > 1:
                self.error("ambiguous option: " + name + " could match " + ", ".join(sorted(matches)))
        return None

    def parse_known_args(self, args=None, namespace=None):
        if args is None:
            args = sys.argv[1:]
        args = list(args)
        ns = namespace if namespace is not None else Namespace()
        for act in self.actions:
            if act.dest != SUPPRESS and not hasattr(ns, act.dest):
                setattr(ns, act.dest, act.default)
        for k, v in getattr(self, "_extra_defaults", {}).items():
            if not hasattr(ns, k):
                setattr(ns, k, v)
        extras = []
        positional_tokens = []
        seen = []
        i = 0
        while i < len(args):
            tok = args[i]
            if tok == "--":
                positional_tokens += args[i + 1:]
                break
            if not _looks_optional(tok):
                positional_tokens.append(tok)
                i += 1
                continue
            name, eq, attached = tok.partition("=")
            if not tok.startswith("--") and len(tok) > 2 and not eq:
                name, attached, eq = tok[:2], tok[2:], "="
            act = self._find_option(name)
            if act is None:
                extras.append(tok)
                i += 1
                continue
            i += 1
            if attached and not tok.startswith("--") and act.nargs == 0:
                # Combined short flags: -vv, -qv.
                for ch in attached:
                    extra = self._find_option("-" + ch)
                    if extra is None or extra.nargs != 0:
                        self.error("argument " + act.display() + ": ignored explicit argument " + repr(attached))
                    args.insert(i, "-" + ch)
                attached, eq = "", ""
            seen.append(act)
            if act.action == "help":
                self.print_help()
                sys.exit(0)
            if act.action in ("store_true", "store_false", "store_const"):
                if eq:
                    self.error("argument " + act.display() + ": ignored explicit argument " + repr(attached))
                setattr(ns, act.dest, act.const)
                continue
            if act.action == "count":
                setattr(ns, act.dest, (getattr(ns, act.dest) or 0) + 1)
                continue
            values = []
            if eq:
                values = [attached]
            elif act.nargs is None:
                if i >= len(args) or _looks_optional(args[i]):
                    self.error("argument " + act.display() + ": expected one argument")
                values = [args[i]]
                i += 1
            elif act.nargs == "?":
                if i < len(args) and not _looks_optional(args[i]):
                    values = [args[i]]
                    i += 1
            elif act.nargs in ("*", "+"):
                while i < len(args) and not _looks_optional(args[i]):
                    values.append(args[i])
                    i += 1
                if act.nargs == "+" and not values:
                    self.error("argument " + act.display() + ": expected at least one argument")
            else:
                for _ in range(act.nargs):
                    if i >= len(args) or _looks_optional(args[i]):
                        self.error("argument " + act.display() + ": expected " + str(act.nargs) + " arguments")
                    values.append(args[i])
                    i += 1
            converted = [self._convert(act, v) for v in values]
            if act.nargs is None:
                value = converted[0]
            elif act.nargs == "?":
                value = converted[0] if converted else act.const
            else:
                value = converted
            if act.action == "append":
                current = getattr(ns, act.dest)
                current = list(current) if current else []
                current.append(value)
                setattr(ns, act.dest, current)
            else:
                setattr(ns, act.dest, value)
        positionals = [a for a in self.actions if not a.option_strings]
        pi = 0
        missing = []
        for k, act in enumerate(positionals):
            after = sum(1 for a in positionals[k + 1:] if a.nargs is None)
            available = len(positional_tokens) - pi - after
            if act.nargs is None:
                if pi >= len(positional_tokens):
                    missing.append(act.metavar or act.dest)
                    continue
                setattr(ns, act.dest, self._convert(act, positional_tokens[pi]))
                pi += 1
            elif act.nargs == "?":
                if available > 0:
                    setattr(ns, act.dest, self._convert(act, positional_tokens[pi]))
                    pi += 1
            elif act.nargs in ("*", "+"):
                take = max(available, 0)
                if act.nargs == "+" and take == 0:
                    missing.append(act.metavar or act.dest)
                    continue
                setattr(ns, act.dest, [self._convert(act, t) for t in positional_tokens[pi:pi + take]])
                pi += take
            else:
                if len(positional_tokens) - pi < act.nargs:
                    missing.append(act.metavar or act.dest)
                    continue
                setattr(ns, act.dest, [self._convert(act, t) for t in positional_tokens[pi:pi + act.nargs]])
                pi += act.nargs
        for act in self.actions:
            if act.option_strings and act.required and act not in seen:
                missing.append("/".join(act.option_strings))
        if missing:
            self.error("the following arguments are required: " + ", ".join(missing))
        for act in self.actions:
            if act not in seen and act.type is not None and isinstance(act.default, str) and act.dest != SUPPRESS:
                if getattr(ns, act.dest) is act.default:
                    setattr(ns, act.dest, self._convert(act, act.default))
        extras += positional_tokens[pi:]
        return ns, extras

    def _metavar(self, act):
        if act.metavar is not None:
            return act.metavar
        if act.choices is not None:
            return "{" + ",".join(str(c) for c in act.choices) + "}"
        return act.dest.upper() if act.option_strings else act.dest

    def _format_args(self, act):
        m = self._metavar(act)
        if act.nargs is None:
            return m
        if act.nargs == "?":
            return "[" + m + "]"
        if act.nargs == "*":
            return "[" + m + " ...]"
        if act.nargs == "+":
            return m + " [" + m + " ...]"
        if act.nargs == 0:
            return ""
        return " ".join([m] * act.nargs)

    def format_usage(self):
        if self.usage is not None:
            return "usage: " + self.usage.replace("%(prog)s", self.prog) + "\n"
        parts = []
        for act in self.actions:
            if act.option_strings:
                s = act.option_strings[0]
                a = self._format_args(act)
                if a:
                    s += " " + a
                parts.append(s if act.required else "[" + s + "]")
        for act in self.actions:
            if not act.option_strings:
                parts.append(self._format_args(act))
        return "usage: " + " ".join([self.prog] + parts) + "\n"

    def format_help(self):
        out = self.format_usage()
        if self.description:
            out += "\n" + self.description + "\n"
        positionals = [a for a in self.actions if not a.option_strings]
        optionals = [a for a in self.actions if a.option_strings]
        def rows(acts, invocation):
            lines = []
            for act in acts:
                inv = invocation(act)
                text = (act.help or "").replace("%(default)s", str(act.default)).replace("%(prog)s", self.prog)
                if len(inv) <= 20:
                    lines.append("  " + inv.ljust(22) + text if text else "  " + inv)
                else:
                    lines.append("  " + inv)
                    if text:
                        lines.append(" " * 24 + text)
            return lines
        if positionals:
            out += "\npositional arguments:\n" + "\n".join(rows(positionals, self._metavar)) + "\n"
        if optionals:
            def inv(act):
                a = self._format_args(act)
                return ", ".join(o + (" " + a if a else "") for o in act.option_strings)
            out += "\noptions:\n" + "\n".join(rows(optionals, inv)) + "\n"
        if self.epilog:
            out += "\n" + self.epilog + "\n"
        return out

    def print_usage(self, file=None):
        print(self.format_usage(), end="", file=file or sys.stdout)

    def print_help(self, file=None):
        print(self.format_help(), end="", file=file or sys.stdout)

    def error(self, message):
        self.print_usage(sys.stderr)
        print(self.prog + ": error: " + message, file=sys.stderr)
        sys.exit(2)

    def exit(self, status=0, message=None):
        if message:
            print(message, end="", file=sys.stderr)
        sys.exit(status)


class HelpFormatter:
    pass


class ArgumentDefaultsHelpFormatter(HelpFormatter):
    pass


class RawTextHelpFormatter(HelpFormatter):
    pass


class RawDescriptionHelpFormatter(HelpFormatter):
    pass
"""#
