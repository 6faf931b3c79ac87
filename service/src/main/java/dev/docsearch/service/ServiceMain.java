package dev.docsearch.service;

import dev.docsearch.service.config.ConfigException;
import dev.docsearch.service.config.ServiceConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * {@code java -jar docsearch-service.jar [flags]}: validates the settings (exit 2 with the reason when one is
 * wrong), starts the service, and stops it cleanly on SIGTERM or Ctrl-C.
 */
public final class ServiceMain {

    private static final Logger log = LoggerFactory.getLogger(ServiceMain.class);

    private ServiceMain() {
    }

    public static void main(String[] args) {
        List<String> arguments = List.of(args);
        if (ServiceConfig.helpRequested(arguments)) {
            System.out.print(ServiceConfig.usage());
            return;
        }
        ServiceConfig config;
        try {
            config = ServiceConfig.parse(arguments, System.getenv());
        } catch (ConfigException e) {
            System.err.println("docsearch-service: " + e.getMessage());
            System.err.println("docsearch-service: run with --help to see every setting");
            System.exit(2);
            return;
        }
        SearchServer server;
        try {
            server = SearchServer.start(config);
        } catch (RuntimeException e) {
            // Typically the port is taken or the address is not ours.
            log.error("cannot start the service on {}:{}: {}", config.bindAddress(), config.port(), rootMessage(e));
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? t.toString() : t.getMessage() + " (" + root + ")";
    }
}
