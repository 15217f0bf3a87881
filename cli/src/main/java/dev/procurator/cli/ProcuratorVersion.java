package dev.procurator.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code procurator --version}: the version Maven wrote into the jar's manifest. */
public final class ProcuratorVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"procurator " + version(), "Java " + Runtime.version() + " (" + System.getProperty("java.home") + ")"};
    }

    public static String version() {
        String version = ProcuratorVersion.class.getPackage().getImplementationVersion();
        return version == null ? "development build" : version;
    }
}
