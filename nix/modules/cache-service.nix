# services.procurator.cache-service: the Nix binary cache. Everything it needs is common to all services (lib/service.nix); its port
# and variables are its row in services.nix.
import ./lib/service.nix "cache-service"
