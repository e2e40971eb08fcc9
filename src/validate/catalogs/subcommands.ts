/**
 * The subcommands of the tools every training script uses, for spotting `pip instal` and `git clnoe` (accelerate and
 * huggingface-cli: their `--help` listings, accelerate 1.x and huggingface_hub 0.2x).
 */
export const SUBCOMMANDS: Readonly<Record<string, readonly string[]>> = {
  pip: ['install', 'download', 'uninstall', 'freeze', 'inspect', 'list', 'show', 'check', 'config', 'search', 'cache', 'index', 'wheel', 'hash', 'completion', 'debug', 'help', 'lock'],
  conda: ['activate', 'deactivate', 'clean', 'compare', 'config', 'create', 'env', 'export', 'info', 'init', 'install', 'list', 'notices', 'package', 'remove', 'uninstall', 'rename', 'run', 'search', 'update', 'upgrade', 'doctor', 'commands', 'build', 'develop', 'index', 'skeleton', 'verify', 'content-trust', 'repoquery'],
  'apt-get': ['update', 'upgrade', 'install', 'reinstall', 'remove', 'purge', 'source', 'build-dep', 'satisfy', 'dist-upgrade', 'full-upgrade', 'dselect-upgrade', 'clean', 'autoclean', 'check', 'download', 'changelog', 'indextargets', 'autoremove', 'autopurge'],
  apt: ['list', 'search', 'show', 'showsrc', 'install', 'reinstall', 'remove', 'purge', 'autoremove', 'autopurge', 'update', 'upgrade', 'full-upgrade', 'edit-sources', 'satisfy', 'policy', 'depends', 'rdepends', 'download', 'changelog', 'source', 'moo', 'clean', 'autoclean', 'build-dep'],
  'conda env': ['config', 'create', 'export', 'list', 'remove', 'update', 'vars'],
  'git lfs': ['checkout', 'clean', 'clone', 'dedup', 'env', 'ext', 'fetch', 'filter-process', 'fsck', 'install', 'lock', 'locks', 'logs', 'ls-files', 'migrate', 'pointer', 'post-checkout', 'post-commit', 'post-merge', 'pre-push', 'prune', 'pull', 'push', 'smudge', 'status', 'track', 'uninstall', 'unlock', 'untrack', 'update', 'version'],
  accelerate: ['config', 'env', 'estimate-memory', 'launch', 'merge-weights', 'test', 'to-fsdp2', 'tpu-config'],
  'huggingface-cli': ['auth', 'delete-cache', 'download', 'env', 'lfs-enable-largefiles', 'lfs-multipart-upload', 'login', 'logout', 'repo', 'repo-files', 'scan-cache', 'tag', 'upload', 'upload-large-folder', 'version', 'whoami'],
  git: [
    'add', 'am', 'annotate', 'apply', 'archive', 'bisect', 'blame', 'branch', 'bundle', 'cat-file', 'checkout', 'cherry-pick', 'clean', 'clone', 'commit', 'config',
    'describe', 'diff', 'fetch', 'format-patch', 'gc', 'grep', 'help', 'init', 'lfs', 'log', 'ls-files', 'ls-remote', 'ls-tree', 'merge', 'mv', 'notes', 'pull',
    'push', 'rebase', 'reflog', 'remote', 'reset', 'restore', 'rev-list', 'rev-parse', 'revert', 'rm', 'shortlog', 'show', 'sparse-checkout', 'stash', 'status',
    'submodule', 'switch', 'tag', 'version', 'worktree', 'maintenance', 'range-diff', 'show-ref', 'symbolic-ref', 'update-index', 'verify-commit', 'whatchanged',
  ],
};

/** Options that take a value before the subcommand (`git -C dir clone`, `conda -v install`). */
export const GLOBAL_OPTIONS_WITH_VALUE: Readonly<Record<string, readonly string[]>> = {
  git: ['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path'],
  pip: ['--log', '--proxy', '--retries', '--timeout', '--exists-action', '--trusted-host', '--cert', '--client-cert', '--cache-dir', '--python'],
  'apt-get': ['-o', '-c', '-t', '--target-release'],
  apt: ['-o', '-c', '-t'],
  conda: [],
};

/** Modules people run with `python -m`: the standard library's runnable ones and the common training tools. */
export const PYTHON_MODULES = [
  'pip', 'venv', 'ensurepip', 'http.server', 'json.tool', 'unittest', 'pdb', 'cProfile', 'profile', 'timeit', 'trace', 'site',
  'zipfile', 'tarfile', 'gzip', 'compileall', 'py_compile', 'tokenize', 'ast', 'dis', 'pydoc', 'webbrowser', 'base64', 'calendar',
  'pytest', 'torch.distributed.run', 'torch.distributed.launch', 'torch.utils.collect_env', 'torch.utils.bottleneck',
  'tensorboard.main', 'tensorflow.python.tools.saved_model_cli', 'jax.collect_profile', 'accelerate.commands.launch',
  'deepspeed.launcher.runner', 'transformers.commands.transformers_cli', 'huggingface_hub.commands.huggingface_cli',
  'ipykernel', 'jupyter', 'notebook', 'black', 'ruff', 'mypy', 'coverage', 'spacy', 'nltk.downloader', 'gdown', 'wandb',
  'mlflow', 'ray', 'optuna', 'lightning', 'pytorch_lightning', 'uvicorn', 'gunicorn', 'streamlit', 'build', 'twine', 'virtualenv',
] as const;
