package org.orbis.client.cli;

import picocli.CommandLine.IVersionProvider;

/** The version recorded in the jar manifest (set by the build), or "development build" when run from classes. */
public final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] { "orbis-client " + (version != null ? version : "development build") };
    }
}
