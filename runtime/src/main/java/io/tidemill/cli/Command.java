package io.tidemill.cli;

import java.util.List;

/** A subcommand of the {@code tidemill} command line, found with {@link java.util.ServiceLoader}. */
public interface Command {
    String name();

    /** One line for the command list. */
    String summary();

    /** Full usage text, printed for {@code --help}. */
    String usage();

    /**
     * The usage text for {@code args} (the arguments after the command's name): a command with
     * subcommands can give the help of the one named; by default, {@link #usage()}.
     */
    default String usage(List<String> args) {
        return usage();
    }

    /** True if {@code args} ask for the usage text; by default, if any of them is {@code --help} or {@code -h}. */
    default boolean asksForHelp(List<String> args) {
        return args.contains("--help") || args.contains("-h");
    }

    /** Runs the command; returns the process exit code. Throw {@link UsageException} for bad options. */
    int run(List<String> args) throws Exception;
}
