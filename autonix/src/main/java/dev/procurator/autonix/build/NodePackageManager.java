package dev.procurator.autonix.build;

import java.util.List;

import dev.procurator.autonix.scan.RepositoryFiles;

/** npm, Yarn and pnpm, and how each installs reproducibly from its own lockfile. */
public enum NodePackageManager {
    NPM("npm", "npm ci"),
    YARN("yarn", "yarn install --frozen-lockfile"),
    PNPM("pnpm", "pnpm install --frozen-lockfile");

    /** Every lockfile a Node.js package manager writes, the one deciding the manager first. */
    public static final List<String> LOCKFILES =
            List.of("pnpm-lock.yaml", "yarn.lock", "package-lock.json", "npm-shrinkwrap.json");

    private final String command;
    private final String lockedInstall;

    NodePackageManager(String command, String lockedInstall) {
        this.command = command;
        this.lockedInstall = lockedInstall;
    }

    /** The manager of the package in {@code dir}, judged by the lockfiles present there. */
    public static NodePackageManager forDirectory(RepositoryFiles files, String dir) {
        return fromLockfiles(Lockfiles.present(files, dir, LOCKFILES.toArray(String[]::new)));
    }

    static NodePackageManager fromLockfiles(List<String> lockfiles) {
        if (lockfiles.contains("pnpm-lock.yaml")) {
            return PNPM;
        }
        if (lockfiles.contains("yarn.lock")) {
            return YARN;
        }
        return NPM;
    }

    public String command() {
        return command;
    }

    String install(boolean locked) {
        return locked ? lockedInstall : command + " install";
    }

    public String run(String script) {
        return command + " run " + script;
    }

    String test() {
        return command + " test";
    }
}
