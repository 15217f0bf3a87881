package dev.procurator.autonix.service;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.procurator.autonix.scan.ParsedFiles;
import dev.procurator.autonix.scan.RepositoryFiles;

/** A Procfile (Heroku, foreman, overmind) lists processes as "name: command", one service each. */
final class ProcfileDetector {

    private static final Pattern ENTRY = Pattern.compile("^([A-Za-z0-9_-]+):\\s*(.+)$");

    List<ServiceCandidate> detect(ParsedFiles files) {
        List<ServiceCandidate> candidates = new ArrayList<>();
        for (String path : files.files().named("Procfile")) {
            files.text(path).ifPresent(text -> parse(files, path, text, candidates));
        }
        return candidates;
    }

    private static void parse(ParsedFiles files, String path, String text, List<ServiceCandidate> candidates) {
        String dir = RepositoryFiles.directoryOf(path);
        int lineNumber = 0;
        for (String line : text.split("\\R")) {
            lineNumber++;
            String stripped = line.strip();
            if (stripped.isEmpty() || stripped.startsWith("#")) {
                continue;
            }
            Matcher entry = ENTRY.matcher(stripped);
            if (!entry.matches()) {
                files.warnings().add(path, "line " + lineNumber + " is not \"name: command\": ignored");
                continue;
            }
            String command = entry.group(2).strip();
            candidates.add(new ServiceCandidate(ServiceCandidate.Kind.PROCFILE, ServiceNames.toDnsLabel(entry.group(1)),
                    dir, path, command, CommandPorts.find(command), null, null));
        }
    }
}
