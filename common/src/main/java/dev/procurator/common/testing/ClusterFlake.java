package dev.procurator.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A cluster flake as a user pushes one, buildable offline without nixpkgs: {@code blueprintJSON} from the cluster
 * model ({@code nix/lib/cluster.nix}, copied into the flake) and, for each VM, a system closure at
 * {@code nixosConfigurations.<vm>.config.system.build.toplevel}: a busybox {@code derivation} in the NixOS toplevel
 * layout ({@code kernel}, {@code initrd}, {@code kernel-params}, {@code init}). The kernel and initrd are small text
 * files: good for CI and cache tests, not for booting. Every change of a VM's {@code version} changes its closure
 * only.
 */
public final class ClusterFlake {

    private final Path clusterModel;
    private final Map<String, Vm> vms = new LinkedHashMap<>();
    private final Set<String> withoutClosure = new LinkedHashSet<>();
    private final Set<String> failingBuild = new LinkedHashSet<>();
    private String ci;
    private String blueprintOverride;

    /** @param clusterModel the project's {@code nix/lib/cluster.nix} */
    public ClusterFlake(Path clusterModel) {
        this.clusterModel = clusterModel;
    }

    /** Finds {@code nix/lib/cluster.nix} from a module's directory (the working directory of its tests). */
    public static ClusterFlake fromModuleDir() {
        return new ClusterFlake(Path.of("..", "nix", "lib", "cluster.nix").toAbsolutePath().normalize());
    }

    private record Vm(String options, String version) {
    }

    /**
     * @param options Nix attributes of {@code vms.<name>} in cluster.nix's language, e.g. {@code "cpu = 2;"}
     * @param version anything; a new value makes a new closure for this VM alone
     */
    public ClusterFlake vm(String name, String options, String version) {
        vms.put(name, new Vm(options, version));
        return this;
    }

    /** The VM stays in the blueprint but the flake has no {@code nixosConfigurations.<name>}. */
    public ClusterFlake withoutClosure(String name) {
        withoutClosure.add(name);
        return this;
    }

    /** The VM's toplevel builder exits 1 after printing a recognisable line. */
    public ClusterFlake failingBuild(String name) {
        failingBuild.add(name);
        return this;
    }

    /** The {@code procurator.ci} attribute set, in Nix, e.g. {@code "{ checks = [ ... ]; }"}. */
    public ClusterFlake ci(String nix) {
        this.ci = nix;
        return this;
    }

    /** A {@code blueprintJSON} expression used instead of the cluster model's (to send a malformed one). */
    public ClusterFlake blueprint(String nix) {
        this.blueprintOverride = nix;
        return this;
    }

    /** Writes {@code flake.nix} and {@code lib/cluster.nix} into {@code dir}. */
    public void write(Path dir) {
        try {
            Files.createDirectories(dir.resolve("lib"));
            Files.copy(clusterModel, dir.resolve("lib/cluster.nix"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(dir.resolve("flake.nix"), flakeNix());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String flakeNix() {
        StringBuilder vmOptions = new StringBuilder();
        StringBuilder systems = new StringBuilder();
        vms.forEach((name, vm) -> {
            vmOptions.append("        ").append(name).append(" = { ").append(vm.options()).append(" };\n");
            if (!withoutClosure.contains(name)) {
                systems.append("      ").append(name).append(".config.system.build.toplevel = toplevel \"")
                        .append(name).append("\" \"").append(vm.version()).append("\" ")
                        .append(failingBuild.contains(name)).append(";\n");
            }
        });
        String blueprint = blueprintOverride != null ? blueprintOverride
                : "cluster {\n      vms = {\n" + vmOptions + "      };\n    }";
        return """
                {
                  description = "a Procurator cluster for tests";
                  outputs = { self }:
                    let
                      system = "x86_64-linux";
                      cluster = import ./lib/cluster.nix;
                      text = name: content: derivation {
                        inherit system name;
                        builder = "/bin/busybox";
                        args = [ "sh" "-c" "echo '${content}' > $out" ];
                      };
                      # The NixOS system.build.toplevel layout, with text files for kernel and initrd.
                      toplevel = vm: version: fails: derivation {
                        inherit system;
                        name = "nixos-system-${vm}";
                        builder = "/bin/busybox";
                        args = [ "sh" "-c" ''
                          ${if fails then "echo 'procurator-test: the build of ${vm} fails here' >&2; exit 1" else ""}
                          /bin/busybox mkdir -p $out
                          /bin/busybox ln -s ${text "kernel-${vm}" "kernel of ${vm}"} $out/kernel
                          /bin/busybox ln -s ${text "initrd-${vm}" "initrd of ${vm}"} $out/initrd
                          echo 'console=ttyS0 panic=-1' > $out/kernel-params
                          printf '#!/bin/sh\\necho ${vm} ${version}\\n' > $out/init
                          /bin/busybox chmod +x $out/init
                        '' ];
                      };
                    in {
                      blueprintJSON = %s;
                      nixosConfigurations = {
                %s      };
                %s    };
                }
                """.formatted(blueprint, systems, ci == null ? "" : "      procurator.ci = " + ci + ";\n");
    }
}
