package io.tidemill.cli;

import io.tidemill.io.FileErrors;
import io.tidemill.local.JobFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.Set;

/** The {@code tidemill} command: dispatches to the subcommands found on the classpath. */
public final class Tidemill {
    private Tidemill() {}

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args)));
    }

    public static int run(List<String> args) {
        List<Command> commands = new ArrayList<>();
        ServiceLoader.load(Command.class).forEach(commands::add);
        if (args.isEmpty() || Set.of("--help", "-h", "help").contains(args.get(0))) {
            System.out.println("usage: tidemill <command> [options]   (tidemill <command> --help)");
            System.out.println("       tidemill --version");
            System.out.println("commands:");
            // Names differ in length (bench-cluster): pad to the longest so the summaries line up.
            int width = 0;
            for (Command c : commands) {
                width = Math.max(width, c.name().length());
            }
            for (Command c : commands) {
                System.out.printf("  %-" + width + "s  %s%n", c.name(), c.summary());
            }
            return args.isEmpty() ? 2 : 0;
        }
        if (args.get(0).equals("--version") || args.get(0).equals("version")) {
            System.out.println("tidemill " + version());
            return 0;
        }
        Command command = commands.stream().filter(c -> c.name().equals(args.get(0))).findFirst().orElse(null);
        if (command == null) {
            System.err.println("tidemill: unknown command '" + args.get(0) + "' (try --help)");
            return 2;
        }
        List<String> rest = args.subList(1, args.size());
        if (command.asksForHelp(rest)) {
            System.out.println(command.usage(rest));
            return 0;
        }
        try {
            return command.run(rest);
        } catch (UsageException e) {
            System.err.println("tidemill " + command.name() + ": " + e.getMessage());
            return 2;
        } catch (NoSuchFileException e) {
            System.err.println("tidemill " + command.name() + ": file not found: " + e.getFile());
            return 1;
        } catch (LockFile.HeldException e) {
            System.err.println("tidemill " + command.name() + ": " + e.getMessage());
            return 1;
        } catch (IOException e) {
            System.err.println("tidemill " + command.name() + ": " + FileErrors.inWords(e));
            return 1;
        } catch (ClusterRequestException e) {
            System.err.println("tidemill " + command.name() + ": " + e.getMessage());
            return 1;
        } catch (JobFailedException e) {
            System.err.println("tidemill " + command.name() + ": " + e.getMessage());
            return 1;
        } catch (Exception e) {
            System.err.println("tidemill " + command.name() + ": " + FileErrors.inWords(e));
            return 1;
        }
    }

    /** The project version Maven wrote into {@code version.properties} when it built this jar. */
    public static String version() {
        try (InputStream in = Tidemill.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown (built without version.properties)";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown (version.properties unreadable: " + e.getMessage() + ")";
        }
    }
}
