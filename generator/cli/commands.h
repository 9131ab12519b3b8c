/* commands: the informe subcommands, each given its own argv (argv[0] is
 * the subcommand's name). Each returns an exit code of enum exit_code. */
#ifndef INFORME_COMMANDS_H
#define INFORME_COMMANDS_H

int cmd_inspect(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_nuevo(int argc, char **argv);

#endif
