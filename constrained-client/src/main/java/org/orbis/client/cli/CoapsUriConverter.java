package org.orbis.client.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A server URI of the form {@code coaps://host[:port]}; the port default is left to the client builder. */
public final class CoapsUriConverter implements ITypeConverter<URI> {

    @Override
    public URI convert(String value) {
        URI uri;
        try {
            uri = new URI(value.strip());
        } catch (URISyntaxException e) {
            throw new TypeConversionException("'" + value + "' is not a URI; expected coaps://host:port");
        }
        if (uri.getScheme() == null || !uri.getScheme().toLowerCase(Locale.ROOT).equals("coaps")) {
            throw new TypeConversionException("'" + value
                    + "' must start with coaps:// (the client always uses DTLS with a pre-shared key)");
        }
        if (uri.getHost() == null) {
            throw new TypeConversionException("'" + value + "' has no host; expected coaps://host:port");
        }
        return uri;
    }
}
