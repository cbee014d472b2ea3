package io.mintgate.authorizer.keycloak.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;

/**
 * The page's files, from the bundle's {@code mintgate-console/} folder: a fixed set of names, each with its type, a
 * strict content security policy (scripts and styles of this origin only, no inline script, no framing) and no
 * caching of the entry page. Nothing here reads the realm: the page gets its data from the admin REST API.
 */
public final class ConsolePage {

    private static final String FOLDER = "/mintgate-console/";
    private static final Pattern FILE = Pattern.compile("[a-z][a-z0-9-]*\\.(html|js|css|svg)");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml");
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final KeycloakSession session;

    ConsolePage(KeycloakSession session) {
        this.session = session;
    }

    @GET
    public Response index() {
        URI request = session.getContext().getUri().getRequestUri();
        if (!request.getPath().endsWith("/")) {
            // The page's files are addressed relative to the folder, and the sign-in's redirect URI ends with '/'.
            return Response.status(Response.Status.FOUND).location(URI.create(request.getPath() + "/")).build();
        }
        return file("index.html");
    }

    @GET
    @Path("{file}")
    public Response file(@PathParam("file") String file) {
        if (!FILE.matcher(file).matches()) {
            throw new NotFoundException();
        }
        byte[] body;
        try (InputStream in = ConsolePage.class.getResourceAsStream(FOLDER + file)) {
            if (in == null) {
                throw new NotFoundException();
            }
            body = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String type = TYPES.get(file.substring(file.lastIndexOf('.') + 1));
        return Response.ok(body, type)
                .header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", file.equals("index.html") ? "no-store" : "no-cache")
                .build();
    }
}
