/**
 * Commands every Linux training machine has: bash's builtins and keywords, coreutils, util-linux, procps, findutils,
 * grep/sed/awk, tar/gzip and the like. A command missing from every list is not an error by itself (images
 * differ, jobs install tools); one that is missing and one edit away from a listed command is a typo.
 */
export const BASH_BUILTINS = [
  '.', ':', '[', '[[', 'alias', 'bg', 'bind', 'break', 'builtin', 'caller', 'cd', 'command', 'compgen', 'complete', 'compopt',
  'continue', 'declare', 'dirs', 'disown', 'echo', 'enable', 'eval', 'exec', 'exit', 'export', 'false', 'fc', 'fg', 'getopts',
  'hash', 'help', 'history', 'jobs', 'kill', 'let', 'local', 'logout', 'mapfile', 'popd', 'printf', 'pushd', 'pwd', 'read',
  'readarray', 'readonly', 'return', 'set', 'shift', 'shopt', 'source', 'suspend', 'test', 'time', 'times', 'trap', 'true',
  'type', 'typeset', 'ulimit', 'umask', 'unalias', 'unset', 'wait',
] as const;

export const BASE_COMMANDS = [
  // coreutils
  'arch', 'b2sum', 'base32', 'base64', 'basename', 'cat', 'chgrp', 'chmod', 'chown', 'chroot', 'cksum', 'comm', 'cp', 'csplit',
  'cut', 'date', 'dd', 'df', 'dir', 'dircolors', 'dirname', 'du', 'env', 'expand', 'expr', 'factor', 'fmt', 'fold', 'groups',
  'head', 'hostid', 'id', 'install', 'join', 'link', 'ln', 'logname', 'ls', 'md5sum', 'mkdir', 'mkfifo', 'mknod', 'mktemp',
  'mv', 'nice', 'nl', 'nohup', 'nproc', 'numfmt', 'od', 'paste', 'pathchk', 'pinky', 'pr', 'printenv', 'ptx', 'readlink',
  'realpath', 'rm', 'rmdir', 'runcon', 'seq', 'sha1sum', 'sha224sum', 'sha256sum', 'sha384sum', 'sha512sum', 'shred', 'shuf',
  'sleep', 'sort', 'split', 'stat', 'stdbuf', 'stty', 'sum', 'sync', 'tac', 'tail', 'tee', 'timeout', 'touch', 'tr',
  'truncate', 'tsort', 'tty', 'uname', 'unexpand', 'uniq', 'unlink', 'users', 'vdir', 'wc', 'who', 'whoami', 'yes',
  // shells and basic tools
  'bash', 'sh', 'dash', 'awk', 'gawk', 'mawk', 'sed', 'grep', 'egrep', 'fgrep', 'find', 'xargs', 'which', 'less', 'more',
  'diff', 'cmp', 'patch', 'file', 'tar', 'gzip', 'gunzip', 'zcat', 'bzip2', 'bunzip2', 'xz', 'unxz', 'ps', 'top', 'free',
  'uptime', 'pgrep', 'pkill', 'killall', 'watch', 'hostname', 'su', 'sudo', 'mount', 'umount', 'lsblk', 'blkid', 'dmesg',
  'flock', 'getopt', 'lscpu', 'nsenter', 'setsid', 'taskset', 'ionice', 'logger', 'getent', 'ldd', 'ldconfig', 'locale',
  'useradd', 'usermod', 'groupadd', 'passwd', 'chpasswd', 'update-alternatives', 'dpkg', 'apt', 'apt-get', 'apt-cache',
  'ulimit', 'ip', 'ss', 'ping', 'iconv', 'envsubst', 'gettext', 'perl', 'ssh', 'scp', 'sftp', 'ssh-keygen', 'ssh-keyscan',
  'openssl', 'curl', 'wget', 'git', 'make', 'unzip', 'zip', 'rsync', 'jq', 'vi', 'nano', 'systemctl', 'journalctl',
  'shutdown', 'poweroff', 'reboot', 'sysctl', 'lsof', 'strace', 'gpg', 'bc', 'cron', 'crontab', 'at', 'screen', 'tmux',
] as const;

/** Python and its packaging, on every image dlrun's backends start (and on this machine, when installed). */
export const PYTHON_COMMANDS = ['python', 'python3', 'pip', 'pip3', 'pydoc3', 'python3-config', 'virtualenv'] as const;

/** NVIDIA's driver and CUDA tools on GPU images. */
export const GPU_COMMANDS = ['nvidia-smi', 'nvcc', 'nvidia-debugdump', 'nvidia-persistenced', 'cuobjdump', 'nsys', 'ncu', 'nvtop'] as const;
