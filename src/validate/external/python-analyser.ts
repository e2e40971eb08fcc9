import type { ScriptInput } from '../script-input.js';
import type { SimpleCommand, Word } from '../shell/script-model.js';

/**
 * The program python3 runs over the job's Python entry scripts, all of them in one process: it compiles each (a syntax
 * error is python-syntax's finding) and, for the entry scripts, reads with the `ast` module what the code asks of
 * the job: its argparse or click interface, the environment variables it reads without a default, the files it opens
 * by a literal relative path. It parses the code and never runs it. Whatever it cannot read in full (a parser built in
 * a loop, another argument library, `parse_known_args`) it leaves out, so the rules stay silent there.
 */
export const PYTHON_ANALYSER = String.raw`
import ast, json, sys

# Parses (never runs) each entry script and reports what it asks of the job. Anything unclear is left out.
OTHER_CLIS = {"hydra", "fire", "absl", "jsonargparse", "simple_parsing", "tyro", "docopt", "configargparse",
              "ml_collections", "gin", "clize", "plac", "defopt", "tap", "argparse_dataclass", "pydantic_cli",
              "pydantic_settings", "datargs"}
# Names that mean the arguments are read elsewhere too (dataclass parsers, Lightning's CLI, OmegaConf's).
CLI_NAMES = {"HfArgumentParser", "LightningCLI", "from_cli", "add_argparse_args", "from_argparse_args",
             "parse_args_into_dataclasses", "add_model_specific_args"}
NO_VALUE = {"store_true", "store_false", "store_const", "append_const", "count", "help", "version"}
READERS = {"read_csv", "read_parquet", "read_json", "read_excel", "read_pickle", "read_table", "read_feather",
           "read_hdf", "read_orc", "read_fwf"}
NUMPY_READERS = {"load", "loadtxt", "genfromtxt", "fromfile"}
CONVERTERS = {"int", "float", "Path", "open", "join", "makedirs", "listdir", "bool", "PurePath"}


def dotted(node):
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def text(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


class Facts:
    def __init__(self, tree):
        self.tree = tree
        # Every node once, in one walk: the checks below go over this list rather than walking the tree again.
        self.nodes = list(ast.walk(tree))
        self.parents = {}
        for node in self.nodes:
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node
        self.imports = set()
        self.names = set()
        for node in self.nodes:
            if isinstance(node, ast.Import):
                self.imports.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                self.imports.add(node.module.split(".")[0])
                self.names.update(alias.name for alias in node.names)
        self.functions = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        self.calls = [n for n in self.nodes if isinstance(n, ast.Call)]

    def inside(self, node, kinds):
        node = self.parents.get(node)
        while node is not None:
            if isinstance(node, kinds):
                return True
            node = self.parents.get(node)
        return False

    # The command line interface: typer, argparse or click, when it can be read in full.
    def cli(self):
        if self.imports & OTHER_CLIS:
            return None, "another argument library"
        for node in self.nodes:
            # exec() of a configurator file reads sys.argv its own way (nanoGPT's configurator.py).
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("exec", "eval"):
                return None, "exec"
            if (isinstance(node, ast.Name) and node.id in CLI_NAMES) or (
                    isinstance(node, ast.Attribute) and node.attr in CLI_NAMES) or (
                    isinstance(node, ast.alias) and node.name in CLI_NAMES):
                return None, "another argument library"
            if isinstance(node, ast.Attribute) and (node.attr.startswith("DEFINE_") or node.attr == "parse_known_args"
                                                    or node.attr == "parse_known_intermixed_args"):
                return None, "parse_known_args or flags"
        if "typer" in self.imports:
            return self.typer()
        if "argparse" in self.imports:
            return self.argparse()
        if "click" in self.imports:
            return self.click()
        return None, "no parser"

    def argv_used_elsewhere(self, allowed):
        for node in self.nodes:
            if isinstance(node, ast.Attribute) and dotted(node) == "sys.argv" and node not in allowed:
                return True
            if isinstance(node, ast.ImportFrom) and node.module == "sys" and any(a.name == "argv" for a in node.names):
                return True
        return False

    def argparse(self):
        makers = [c for c in self.calls if dotted(c.func) in ("argparse.ArgumentParser", "ArgumentParser")]
        if len(makers) != 1:
            return None, "not one parser"
        options = {k.arg: k.value for k in makers[0].keywords}
        if None in options or makers[0].args:
            return None, "parser settings"
        if "parents" in options or "fromfile_prefix_chars" in options:
            return None, "parents"
        if "prefix_chars" in options and text(options["prefix_chars"]) != "-":
            return None, "prefix chars"
        abbrev = options.get("allow_abbrev")
        help_on = options.get("add_help")
        parser_name = None
        parent = self.parents.get(makers[0])
        if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
            parser_name = parent.targets[0].id
        allowed = set()
        parsed = False
        for call in self.calls:
            if not isinstance(call.func, ast.Attribute):
                continue
            attr = call.func.attr
            if attr == "add_subparsers":
                return None, "subcommands"
            if attr == "parse_args" or attr == "parse_intermixed_args":
                parsed = True
                given = list(call.args) + [k.value for k in call.keywords if k.arg == "args"]
                if len(given) + len([k for k in call.keywords if k.arg != "args"]) > 1:
                    return None, "parse_args(namespace)"
                for value in given:
                    if isinstance(value, ast.Constant) and value.value is None:
                        continue
                    if isinstance(value, ast.Subscript) and dotted(value.value) == "sys.argv":
                        allowed.add(value.value)
                        continue
                    return None, "parse_args(list)"
        if not parsed:
            return None, "never parsed"
        if self.argv_used_elsewhere(allowed):
            return None, "sys.argv"
        # The parser handed to code of another module may gain arguments there.
        for call in self.calls:
            values = list(call.args) + [k.value for k in call.keywords]
            passes = any(isinstance(v, ast.Name) and (v.id == parser_name or "parser" in v.id.lower()) for v in values)
            if passes and not (isinstance(call.func, ast.Name) and call.func.id in self.functions):
                own = ("add_argument", "add_argument_group")
                if not (isinstance(call.func, ast.Attribute) and call.func.attr in own):
                    return None, "parser passed on"
        opts, positionals = [], []
        for call in self.calls:
            if not (isinstance(call.func, ast.Attribute) and call.func.attr == "add_argument"):
                continue
            if self.inside(call, (ast.For, ast.While, ast.comprehension, ast.AsyncFor, ast.Lambda)):
                return None, "arguments added in a loop"
            names = [text(a) for a in call.args]
            if not names or None in names or any(k.arg is None for k in call.keywords):
                return None, "dynamic add_argument"
            kw = {k.arg: k.value for k in call.keywords}
            values = self.arity(kw)
            conditional = self.inside(call, (ast.If, ast.Try, ast.IfExp))
            if names[0].startswith("-"):
                flags = list(names)
                action = kw.get("action")
                if action is not None and (dotted(action) or "").endswith("BooleanOptionalAction"):
                    flags += ["--no-" + f[2:] for f in names if f.startswith("--")]
                required = isinstance(kw.get("required"), ast.Constant) and kw["required"].value is True
                opts.append({"flags": flags, "values": values, "required": required and not conditional,
                             "line": call.lineno})
            else:
                low, high = {"1": (1, 1), "?": (0, 1), "*": (0, None), "+": (1, None)}.get(str(values), (None, None))
                if isinstance(values, int):
                    low, high = values, values
                if low is None:
                    return None, "positional nargs"
                positionals.append({"name": names[0], "min": 0 if conditional else low, "max": high})
        if not (abbrev is None or isinstance(abbrev, ast.Constant)) or not (
                help_on is None or isinstance(help_on, ast.Constant)):
            return None, "parser settings"
        if help_on is None or help_on.value:
            opts.append({"flags": ["-h", "--help"], "values": 0, "required": False, "line": makers[0].lineno})
        return {"kind": "argparse", "options": opts, "positionals": positionals,
                "abbrev": abbrev is None or bool(abbrev.value), "line": makers[0].lineno}, None

    # typer: one command (typer.run(main), or a Typer app with one @app.command() that is called), its parameters
    # plain or typer.Option/typer.Argument defaults; Annotated parameters and *args are not read.
    def typer(self):
        runs = [c for c in self.calls if dotted(c.func) == "typer.run" and len(c.args) == 1]
        apps = [c for c in self.calls if dotted(c.func) in ("typer.Typer", "Typer")]
        fn = None
        if len(runs) == 1 and not apps and isinstance(runs[0].args[0], ast.Name):
            fn = self.functions.get(runs[0].args[0].id)
        elif len(apps) == 1 and not runs:
            parent = self.parents.get(apps[0])
            if not (isinstance(parent, ast.Assign) and isinstance(parent.targets[0], ast.Name)) or apps[0].args:
                return None, "typer app"
            if any(k.arg not in ("help", "add_completion", "pretty_exceptions_enable", "rich_markup_mode")
                   for k in apps[0].keywords):
                return None, "typer settings"
            name = parent.targets[0].id
            commands = []
            for node in self.nodes:
                if isinstance(node, ast.Attribute) and dotted(node.value) == name and node.attr != "command":
                    return None, "typer app used otherwise"
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    for deco in node.decorator_list:
                        target = deco.func if isinstance(deco, ast.Call) else deco
                        if isinstance(target, ast.Attribute) and dotted(target.value) == name:
                            if isinstance(deco, ast.Call) and (deco.args or deco.keywords):
                                return None, "named command"
                            commands.append(node)
            called = [c for c in self.calls if isinstance(c.func, ast.Name) and c.func.id == name]
            if len(commands) != 1 or not called or any(c.args or c.keywords for c in called):
                return None, "typer commands"
            fn = commands[0]
        if fn is None:
            return None, "no typer command"
        if self.argv_used_elsewhere(set()):
            return None, "sys.argv"
        params = fn.args
        if params.vararg or params.kwarg or params.posonlyargs:
            return None, "typer *args"
        plain = params.args + params.kwonlyargs
        defaults = [None] * (len(params.args) - len(params.defaults)) + list(params.defaults) + list(params.kw_defaults)
        opts = [{"flags": ["--help"], "values": 0, "required": False, "line": fn.lineno}]
        if not apps or all(k.arg != "add_completion" for k in apps[0].keywords):
            for flag in ("--install-completion", "--show-completion"):
                opts.append({"flags": [flag], "values": 0, "required": False, "line": fn.lineno})
        positionals = []
        for param, default in zip(plain, defaults):
            note = param.annotation
            if note is not None and ("Annotated" in ast.dump(note) or "List" in ast.dump(note)
                                     or "list" in ast.dump(note) or "Tuple" in ast.dump(note)):
                return None, "typer annotation"
            switch = (isinstance(note, ast.Name) and note.id == "bool") or (
                isinstance(default, ast.Constant) and isinstance(default.value, bool))
            dashed = "--" + param.arg.replace("_", "-")
            kind = (dotted(default.func) or "").split(".")[-1] if isinstance(default, ast.Call) else None
            if default is None:
                positionals.append({"name": param.arg.upper(), "min": 1, "max": 1})
            elif kind in ("Option", "Argument"):
                if any(k.arg is None for k in default.keywords) or any(
                        k.arg in ("is_flag", "flag_value", "count", "envvar", "prompt", "default_factory")
                        for k in default.keywords):
                    return None, "typer option settings"
                first = default.args[0] if default.args else next(
                    (k.value for k in default.keywords if k.arg == "default"), None)
                required = isinstance(first, ast.Constant) and first.value is Ellipsis
                names = [text(a) for a in default.args[1:]]
                if None in names:
                    return None, "typer names"
                if kind == "Argument":
                    positionals.append({"name": param.arg.upper(), "min": 1 if required else 0, "max": 1})
                    continue
                flags = []
                for decl in names or [dashed + ("/--no-" + dashed[2:] if switch else "")]:
                    flags += [part.strip() for part in decl.split("/") if part.strip().startswith("-")]
                if switch and names and not any("/" in n for n in names):
                    flags += ["--no-" + f[2:] for f in flags if f.startswith("--")]
                opts.append({"flags": flags, "values": 0 if switch else 1, "required": required,
                             "line": default.lineno})
            else:
                flags = [dashed, "--no-" + dashed[2:]] if switch else [dashed]
                opts.append({"flags": flags, "values": 0 if switch else 1, "required": False, "line": fn.lineno})
        return {"kind": "typer", "options": opts, "positionals": positionals, "abbrev": False,
                "line": fn.lineno}, None

    def arity(self, kw):
        action = kw.get("action")
        if action is not None:
            name = text(action)
            if name is None:
                return 0 if (dotted(action) or "").endswith("BooleanOptionalAction") else "unknown"
            if name in NO_VALUE:
                return 0
            if name not in ("store", "append", "extend"):
                return "unknown"
        nargs = kw.get("nargs")
        if nargs is None:
            return 1
        if isinstance(nargs, ast.Constant) and (isinstance(nargs.value, int) or nargs.value in ("?", "*", "+")):
            return nargs.value
        return "unknown"

    def click(self):
        commands = []
        for fn in self.nodes:
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for deco in fn.decorator_list:
                name = dotted(deco.func if isinstance(deco, ast.Call) else deco) or ""
                if name.split(".")[-1] in ("group", "command") and (name.startswith("click.") or name in self.names):
                    commands.append((fn, deco, name))
        if len(commands) != 1 or commands[0][2].endswith("group"):
            return None, "not one click command"
        fn, deco, _ = commands[0]
        if isinstance(deco, ast.Call) and (deco.keywords or deco.args):
            if any(k.arg == "context_settings" or k.arg is None for k in deco.keywords):
                return None, "context settings"
        calls = [c for c in self.calls if isinstance(c.func, ast.Name) and c.func.id == fn.name]
        plain = ("obj", "standalone_mode", "prog_name")
        if not calls or any(c.args or any(k.arg not in plain for k in c.keywords) for c in calls):
            return None, "not called plainly"
        if self.argv_used_elsewhere(set()):
            return None, "sys.argv"
        opts = [{"flags": ["--help"], "values": 0, "required": False, "line": fn.lineno}]
        positionals = []
        for d in fn.decorator_list:
            if d is deco:
                continue
            name = (dotted(d.func if isinstance(d, ast.Call) else d) or "").split(".")[-1]
            if name in ("pass_context", "pass_obj"):
                continue
            if name == "version_option":
                opts.append({"flags": ["--version"], "values": 0, "required": False, "line": d.lineno})
                continue
            if name not in ("option", "argument") or not isinstance(d, ast.Call):
                return None, "other decorator"
            decls = [text(a) for a in d.args]
            if None in decls or any(k.arg is None for k in d.keywords):
                return None, "dynamic option"
            kw = {k.arg: k.value for k in d.keywords}
            def const(key, default=None):
                value = kw.get(key)
                return value.value if isinstance(value, ast.Constant) else (default if value is None else "?")
            nargs = const("nargs", 1)
            if name == "argument":
                if nargs == "?" or not isinstance(nargs, int):
                    return None, "argument nargs"
                required = const("required", nargs != -1 and "default" not in kw)
                if required == "?":
                    return None, "argument required"
                low = nargs if nargs >= 0 and required else 0
                positionals.append({"name": decls[0], "min": low, "max": None if nargs < 0 else nargs})
                continue
            flags = []
            switch = False
            for decl in decls:
                if "/" in decl:
                    switch = True
                    flags += [part.strip() for part in decl.split("/") if part.strip().startswith("-")]
                elif decl.startswith("-"):
                    flags.append(decl)
            if not flags:
                return None, "option without flags"
            no_value = switch or const("is_flag") is True or const("count") is True or "flag_value" in kw
            if nargs == "?" or not isinstance(nargs, int):
                return None, "option nargs"
            required = const("required") is True and not any(k in kw for k in ("default", "envvar", "prompt"))
            opts.append({"flags": flags, "values": 0 if no_value else nargs, "required": required, "line": d.lineno})
        return {"kind": "click", "options": opts, "positionals": positionals, "abbrev": False, "line": fn.lineno}, None

    # Code that runs on every start: the module's statements (and the "__main__" block), and the functions they call,
    # down to statements inside a condition, loop or try, which may not run.
    def always_run(self):
        nodes, seen = [], set()
        def visit(body):
            for stmt in body:
                if isinstance(stmt, ast.If) and "__name__" in ast.dump(stmt.test) and "__main__" in ast.dump(stmt.test):
                    visit(stmt.body)
                elif isinstance(stmt, (ast.With, ast.AsyncWith)):
                    for item in stmt.items:
                        nodes.extend(self.walk_sure(item.context_expr))
                    visit(stmt.body)
                elif isinstance(stmt, (ast.Expr, ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Return)):
                    found = list(self.walk_sure(stmt))
                    nodes.extend(found)
                    for node in found:
                        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                            fn = self.functions.get(node.func.id)
                            if fn is not None and fn.name not in seen:
                                seen.add(fn.name)
                                visit(fn.body)
        visit(self.tree.body)
        return nodes

    def walk_sure(self, root):
        # Not into lambdas, nested functions, the branches of "a if c else b", nor past the first of "a or b".
        todo = [root]
        while todo:
            node = todo.pop()
            yield node
            if isinstance(node, (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            if isinstance(node, ast.IfExp):
                todo.append(node.test)
            elif isinstance(node, ast.BoolOp):
                todo.append(node.values[0])
            else:
                todo.extend(ast.iter_child_nodes(node))

    def env(self, sure):
        sets, unknown = set(), "dotenv" in self.imports or "environs" in self.imports or "decouple" in self.imports
        for node in self.nodes:
            if isinstance(node, ast.Subscript) and self.is_environ(node.value) and not isinstance(node.ctx, ast.Load):
                sets.add(text(self.key(node)))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if self.is_environ(node.func.value) and node.func.attr in ("setdefault", "update", "__setitem__"):
                    if node.func.attr == "update" or not node.args or text(node.args[0]) is None:
                        unknown = True
                    else:
                        sets.add(text(node.args[0]))
                if dotted(node.func) in ("os.putenv",):
                    unknown = True
        reads = []
        for node in sure:
            name = None
            if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and self.is_environ(node.value):
                name = text(self.key(node))
            elif isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords and self.is_getenv(node):
                parent = self.parents.get(node)
                used = (isinstance(parent, ast.Call) and node in parent.args and
                        (dotted(parent.func) or "").split(".")[-1] in CONVERTERS) or (
                        isinstance(parent, ast.Attribute)) or (
                        isinstance(parent, ast.Subscript) and parent.value is node)
                name = text(node.args[0]) if used else None
            if name and name not in sets:
                reads.append({"name": name, "line": node.lineno, "column": node.col_offset + 1})
        return {"reads": reads, "unknown": unknown}

    def is_getenv(self, call):
        func = call.func
        if dotted(func) in ("os.getenv", "getenv"):
            return True
        return isinstance(func, ast.Attribute) and func.attr == "get" and self.is_environ(func.value)

    def is_environ(self, node):
        name = dotted(node)
        return name == "os.environ" or (name == "environ" and "environ" in self.names)

    def key(self, node):
        key = node.slice
        # ast.Index wraps subscripts before Python 3.9 only (and is gone from later versions).
        return key.value if isinstance(key, getattr(ast, "Index", ())) else key

    # Files opened by a literal relative path; a path written anywhere else in the file is not judged.
    def files(self, sure):
        reads, used = [], {}
        # After os.chdir a relative path starts elsewhere.
        if any(dotted(c.func) in ("os.chdir", "chdir") for c in self.calls):
            return []
        for node in self.nodes:
            value = text(node)
            if value is not None:
                used[value] = used.get(value, 0) + 1
        for node in sure:
            if not isinstance(node, ast.Call):
                continue
            path = self.read_path(node)
            if path is None or used.get(path, 0) != 1:
                continue
            if any(used.get(prefix) for prefix in self.prefixes(path)):
                continue
            reads.append({"path": path, "line": node.lineno, "column": node.col_offset + 1})
        return reads

    def prefixes(self, path):
        parts = path.strip("/").split("/")
        heads = ["/".join(parts[:i]) for i in range(1, len(parts))]
        return heads + [head + "/" for head in heads]

    def read_path(self, call):
        name = dotted(call.func) or ""
        last = name.split(".")[-1]
        first = call.args[0] if call.args else None
        mode = call.args[1] if len(call.args) > 1 else next((k.value for k in call.keywords if k.arg == "mode"), None)
        if name in ("open", "io.open", "h5py.File"):
            if mode is not None and (text(mode) is None or any(c in text(mode) for c in "wax+")):
                return None
        elif isinstance(call.func, ast.Attribute) and last in ("read_text", "read_bytes") and isinstance(
                call.func.value, ast.Call) and (dotted(call.func.value.func) or "").split(".")[-1] == "Path":
            first = call.func.value.args[0] if len(call.func.value.args) == 1 else None
        elif not ((last in READERS and name.count(".") == 1) or name in ("torch.load", "joblib.load", "Image.open") or (
                name.split(".")[0] in ("np", "numpy") and last in NUMPY_READERS and name.count(".") == 1)):
            return None
        path = text(first)
        if not path or path.startswith(("/", "~", "-")) or "://" in path or any(c in path for c in "*?[{%$\\"):
            return None
        return path


def analyse(tree):
    facts = Facts(tree)
    cli, reason = facts.cli()
    sure = list(facts.always_run())
    return {"cli": cli, "cliSkipped": reason, "env": facts.env(sure), "reads": facts.files(sure)}


for item in json.load(sys.stdin):
    try:
        source = item["text"].encode()
        # One parse: the tree is compiled (for the errors only the compiler finds) and then read.
        tree = compile(source, item["name"], "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
        compile(tree, item["name"], "exec", dont_inherit=True)
    except SyntaxError as error:
        print(json.dumps({"id": item["id"], "line": error.lineno, "column": error.offset, "message": error.msg}))
        continue
    except (OSError, ValueError) as error:
        print(json.dumps({"id": item["id"], "line": 1, "column": None, "message": str(error)}))
        continue
    if item.get("analyse"):
        try:
            print(json.dumps({"id": item["id"], "facts": analyse(tree)}))
        except Exception:
            pass
`;

/** An option of a script's command line: its flags and how many values follow it. */
export interface CliOption {
  readonly flags: readonly string[];
  /** A count, argparse's nargs ('?', '*', '+'), or 'unknown' (a custom action). */
  readonly values: number | '?' | '*' | '+' | 'unknown';
  readonly required: boolean;
  readonly line: number;
}

export interface CliPositional {
  readonly name: string;
  readonly min: number;
  /** null: any number. */
  readonly max: number | null;
}

/** A command line interface read in full (argparse, click or typer), or none. */
export interface PythonCli {
  readonly kind: 'argparse' | 'click' | 'typer';
  readonly options: readonly CliOption[];
  readonly positionals: readonly CliPositional[];
  /** argparse's allow_abbrev: a unique prefix of a long option is that option. */
  readonly abbrev: boolean;
  readonly line: number;
}

/** A place in the Python file, 1-based. */
export interface PythonPlace {
  readonly line: number;
  readonly column: number;
}

/** What one entry script asks of the job, read from its code (only code that runs on every start). */
export interface PythonFacts {
  readonly cli: PythonCli | null;
  /** Variables read without a default: `os.environ["X"]`, or `os.getenv("X")` used at once as a value. */
  readonly env: { readonly reads: readonly (PythonPlace & { readonly name: string })[]; readonly unknown: boolean };
  /** Literal relative paths opened for reading, and nowhere else named in the file. */
  readonly reads: readonly (PythonPlace & { readonly path: string })[];
}

/** A command that runs a Python script of the workdir, with what python3 read in it. */
export interface PythonProgram {
  readonly script: ScriptInput;
  readonly command: SimpleCommand;
  /** What starts it: python, torchrun (also `python -m torch.distributed.run`), accelerate, deepspeed. */
  readonly launcher: 'python' | 'torchrun' | 'accelerate' | 'deepspeed';
  /** The script, relative to the workdir, and as findings name it (relative to job.yaml's folder). */
  readonly path: string;
  readonly file: string;
  /** The folder it runs in, relative to the workdir: its relative paths start there. */
  readonly directory: string;
  /** The words after the script (or module): its own arguments. */
  readonly args: readonly Word[];
  /** undefined when python3 is missing or the script does not compile. */
  readonly facts: PythonFacts | undefined;
}
