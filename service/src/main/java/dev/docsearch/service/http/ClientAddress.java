package dev.docsearch.service.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.InetAddressSet;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Who a request comes from: the TCP peer, unless the peer is a trusted proxy (the load balancer in front), in which
 * case it is the right-most {@code X-Forwarded-For} entry: the address the balancer saw and appended. Whatever stands
 * to the left of it came from the client and may be forged. One hop only, as nginx's {@code real_ip} without
 * recursion: behind a chain of proxies (a CDN, then the balancer) the client is the last proxy but one. With no
 * trusted proxies, {@code X-Forwarded-For} is ignored.
 */
public final class ClientAddress {

    /** IPv4 or IPv6 text, so that no lookup ever goes to DNS. */
    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    /** A forwarded hop that is not an address is still a key, but a short one. */
    private static final int MAX_KEY_CHARS = 64;

    private final InetAddressSet trusted = new InetAddressSet();

    /**
     * @param trustedProxies addresses or CIDR blocks ({@code 10.0.0.0/16}) of the proxies in front
     * @throws IllegalArgumentException naming an entry that is not an IP address or CIDR block
     */
    public ClientAddress(List<String> trustedProxies) {
        for (String entry : trustedProxies) {
            String address = entry.strip();
            int slash = address.indexOf('/');
            String ip = slash < 0 ? address : address.substring(0, slash);
            String bits = slash < 0 ? "" : address.substring(slash + 1);
            if (!LITERAL.matcher(ip).matches() || !bits.matches("\\d{0,3}") || (slash >= 0 && bits.isEmpty())) {
                throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR block");
            }
            try {
                trusted.add(address);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR block", e);
            }
        }
    }

    /** The client of a request, as a key: an address in text. */
    public String of(Request request) {
        return of(Request.getRemoteAddr(request), request.getHeaders().getValuesList(HttpHeader.X_FORWARDED_FOR));
    }

    /** The client given the TCP peer's address and the {@code X-Forwarded-For} header lines. */
    String of(String peer, List<String> forwardedFor) {
        if (trusted.isEmpty() || !isTrusted(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String line : forwardedFor) {
            for (String hop : line.split(",")) {
                if (!hop.isBlank()) {
                    hops.add(hop.strip());
                }
            }
        }
        if (hops.isEmpty()) {
            return peer; // the balancer's own request (a health check)
        }
        String hop = hops.get(hops.size() - 1);
        return hop.length() > MAX_KEY_CHARS ? hop.substring(0, MAX_KEY_CHARS) : hop;
    }

    private boolean isTrusted(String address) {
        if (!LITERAL.matcher(address).matches()) {
            return false;
        }
        try {
            return trusted.test(InetAddress.getByName(address));
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
