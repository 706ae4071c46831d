package io.tidemill.cli;

import java.util.List;

/** A subcommand of the {@code tidemill} command line, found with {@link java.util.ServiceLoader}. */
public interface Command {
    String name();

    /** One line for the command list. */
    String summary();

    /** Full usage text, printed for {@code --help}. */
    String usage();

    /** True if {@code args} ask for the usage text; by default, if any of them is {@code --help}. */
    default boolean asksForHelp(List<String> args) {
        return args.contains("--help");
    }

    /** Runs the command; returns the process exit code. Throw {@link UsageException} for bad options. */
    int run(List<String> args) throws Exception;
}
