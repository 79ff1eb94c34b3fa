package org.orbis.console;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.orbis.console.access.Passwords;
import org.orbis.world.access.AccessStore;
import org.orbis.world.access.DuplicateUserException;
import org.orbis.world.access.Role;
import org.orbis.world.access.User;
import org.orbis.world.store.Database;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code java -jar orbis.jar admin …}: manages console users directly in the database (the platform may be running
 * or not), which is how the first admin comes to exist. Passwords come from {@code ORBIS_ADMIN_PASSWORD} or standard
 * input, never from a flag (flags end up in shell history and process lists).
 */
@Command(name = "admin", mixinStandardHelpOptions = true, description = "Manage console users and API tokens.",
        subcommands = {AdminCommand.Create.class, AdminCommand.Password.class, AdminCommand.ListUsers.class,
                AdminCommand.Token.class})
final class AdminCommand {

    static final String PASSWORD_ENV = "ORBIS_ADMIN_PASSWORD";

    @ParentCommand
    OrbisLauncher launcher;

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a user (an admin unless --role says otherwise); the password comes from "
                    + PASSWORD_ENV + " or standard input.",
            footer = {"", "Examples:", "  java -jar orbis.jar admin create --user alice",
                    "  printf '%s\\n' \"$PW\" | java -jar orbis.jar admin create --user bob --role operator"})
    static final class Create implements Callable<Integer> {
        @ParentCommand
        AdminCommand admin;

        @Option(names = "--user", required = true, description = "User name (letters, digits, . _ @ -).")
        String username;

        @Option(names = "--role", defaultValue = "admin", description = "viewer, operator or admin (default: ${DEFAULT-VALUE}).")
        String role;

        @Override
        public Integer call() {
            return admin.withStore((store, passwords) -> {
                User user = store.createUser(username, Role.fromLabel(role), passwords.hash(readPassword()));
                System.out.println("created user '" + user.username() + "' with role " + user.role().label());
                return 0;
            });
        }
    }

    @Command(name = "password", mixinStandardHelpOptions = true,
            description = "Set a user's password (from " + PASSWORD_ENV + " or standard input) and end their sessions.")
    static final class Password implements Callable<Integer> {
        @ParentCommand
        AdminCommand admin;

        @Option(names = "--user", required = true, description = "User name.")
        String username;

        @Override
        public Integer call() {
            return admin.withStore((store, passwords) -> {
                if (!store.setPasswordHash(username, passwords.hash(readPassword()))) {
                    System.err.println("orbis admin: no user '" + username + "'");
                    return 1;
                }
                System.out.println("password of '" + username + "' changed; their sessions were ended");
                return 0;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List users and their roles.")
    static final class ListUsers implements Callable<Integer> {
        @ParentCommand
        AdminCommand admin;

        @Override
        public Integer call() {
            return admin.withStore((store, passwords) -> {
                store.users().forEach(user -> System.out.println(user.username() + "\t" + user.role().label()
                        + (user.isDisabled() ? "\tdisabled" : "")));
                return 0;
            });
        }
    }

    @Command(name = "token", mixinStandardHelpOptions = true,
            description = "Create an API token for a user and print it (once).")
    static final class Token implements Callable<Integer> {
        @ParentCommand
        AdminCommand admin;

        @Option(names = "--user", required = true, description = "Whose token it is.")
        String username;

        @Option(names = "--name", required = true, description = "What the token is for, e.g. \"nightly export\".")
        String name;

        @Option(names = "--role", description = "At most the user's role (default: the user's role).")
        String role;

        @Override
        public Integer call() {
            return admin.withStore((store, passwords) -> {
                User user = store.user(username).orElse(null);
                if (user == null) {
                    System.err.println("orbis admin: no user '" + username + "'");
                    return 1;
                }
                Role tokenRole = role == null ? user.role() : Role.fromLabel(role);
                if (!user.role().includes(tokenRole)) {
                    System.err.println("orbis admin: a token can have at most the user's role " + user.role().label());
                    return 1;
                }
                System.out.println(store.createToken(username, name, tokenRole, null).secret());
                return 0;
            });
        }
    }

    private int withStore(StoreWork work) {
        try (Database database = Database.open(launcher.databaseSettings())) {
            return work.run(new AccessStore(database, Clock.systemUTC()), new Passwords());
        } catch (DuplicateUserException | IllegalArgumentException | IllegalStateException e) {
            System.err.println("orbis admin: " + e.getMessage());
            if (String.valueOf(e.getMessage()).contains("file is locked")) {
                System.err.println("orbis admin: the platform is running on this data directory and holds the embedded "
                        + "database; stop it first, or use the console's Users & tokens page (or the API) instead");
            }
            return CommandLine.ExitCode.SOFTWARE;
        }
    }

    /** From {@value #PASSWORD_ENV}, else the terminal (not echoed), else the first line of standard input. */
    static String readPassword() {
        String fromEnv = System.getenv(PASSWORD_ENV);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return fromEnv;
        }
        Console console = System.console();
        if (console != null) {
            char[] first = console.readPassword("password (at least %d characters): ", Passwords.MIN_LENGTH);
            char[] again = console.readPassword("again: ");
            if (first == null || again == null || !new String(first).equals(new String(again))) {
                throw new IllegalArgumentException("the passwords differ");
            }
            return new String(first);
        }
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                throw new IllegalArgumentException("no password: set " + PASSWORD_ENV + " or pipe it on standard input");
            }
            return line;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the password from standard input: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface StoreWork {
        int run(AccessStore store, Passwords passwords);
    }
}
