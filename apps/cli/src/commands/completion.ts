// Completion scripts call `kode --get-yargs-completions`, which yargs answers from the command tree.
import { stringArg } from '../args.js';
import type { KodeCommand } from '../command.js';
import type { CommandContext } from '../context.js';
import { CliError, EXIT } from '../errors.js';

const BASH = `###-begin-kode-completions-###
# kode completion for bash. Install: kode completion bash >> ~/.bashrc
_kode_completions()
{
    local cur_word args type_list
    cur_word="\${COMP_WORDS[COMP_CWORD]}"
    args=("\${COMP_WORDS[@]}")
    mapfile -t type_list < <(kode --get-yargs-completions "\${args[@]:1}")
    mapfile -t COMPREPLY < <(compgen -W "$( printf '%q ' "\${type_list[@]}" )" -- "\${cur_word}")
    return 0
}
complete -o bashdefault -o default -F _kode_completions kode
###-end-kode-completions-###
`;

const ZSH = `#compdef kode
###-begin-kode-completions-###
# kode completion for zsh. Install: kode completion zsh >> ~/.zshrc
_kode_completions()
{
  local reply
  local si=$IFS
  IFS=$'\\n' reply=($(kode --get-yargs-completions "\${words[@]:1}"))
  IFS=$si
  if [[ \${#reply} -gt 0 ]]; then
    _describe 'values' reply
  else
    _default
  fi
}
compdef _kode_completions kode
###-end-kode-completions-###
`;

export const COMPLETION_SCRIPTS: Readonly<Record<string, string>> = { bash: BASH, zsh: ZSH };

export function runCompletion(context: CommandContext, options: { shell: string | undefined }): number {
  const shell = options.shell ?? 'bash';
  const script = COMPLETION_SCRIPTS[shell];
  if (script === undefined) {
    throw new CliError({ message: `unsupported shell "${shell}": use bash or zsh`, exitCode: EXIT.usage });
  }
  context.output.out(script);
  return EXIT.ok;
}

export const completionCommand: KodeCommand = {
  command: 'completion [shell]',
  describe: 'Print a shell completion script (bash or zsh)',
  builder: (yargs) => yargs.positional('shell', { type: 'string', describe: 'bash (default) or zsh' }),
  run: (context, args) => runCompletion(context, { shell: stringArg(args, 'shell') }),
};
