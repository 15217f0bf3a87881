package dev.procurator.autonix.build;

import java.util.List;

import dev.procurator.autonix.scan.ParsedFiles;
import dev.procurator.autonix.scan.RepositoryFiles;

/** Python: the lockfile decides the tool (uv, Poetry), plain pip otherwise; tests are assumed to run with pytest. */
final class PythonRule implements BuildRule {

    @Override
    public List<String> manifests() {
        return List.of("pyproject.toml", "requirements.txt", "setup.py");
    }

    @Override
    public BuildSystem inspect(ParsedFiles files, String dir, String manifest) {
        RepositoryFiles repo = files.files();
        List<String> lockfiles = Lockfiles.present(repo, dir, "uv.lock", "poetry.lock", "Pipfile.lock");
        String pyproject = RepositoryFiles.resolve(dir, "pyproject.toml");
        boolean hasPyproject = repo.exists(pyproject);
        boolean poetry = lockfiles.contains("poetry.lock")
                || (hasPyproject && files.text(pyproject).map(text -> text.contains("[tool.poetry")).orElse(false));
        if (lockfiles.contains("uv.lock")) {
            return new BuildSystem("uv", dir, manifest, lockfiles, "uv sync --locked && uv run pytest", "uv build");
        }
        if (poetry) {
            if (!lockfiles.contains("poetry.lock")) {
                files.warnings().add(manifest, "no poetry.lock: dependency versions are not pinned");
            }
            return new BuildSystem("poetry", dir, manifest, lockfiles, "poetry install && poetry run pytest",
                    "poetry build");
        }
        boolean requirements = repo.exists(RepositoryFiles.resolve(dir, "requirements.txt"));
        String install = requirements ? "pip install -r requirements.txt" : "pip install .";
        return new BuildSystem("pip", dir, manifest, lockfiles, install + " && python -m pytest",
                hasPyproject ? "python -m build" : null);
    }
}
