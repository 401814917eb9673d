/**
 * config.toml files as CometBFT writes them (every section and key of the
 * reference template, rendered with typical values of a live node), with
 * short comments of our own in place of the template's.
 */

export const ID_A = 'e0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3'
export const ID_B = '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c'
export const ID_C = 'ABCDEF0123456789ABCDEF0123456789ABCDEF01'

/** A v0.34.x file: fast_sync, upnp, mempool version, ttl keys, [fastsync]. */
export const CONFIG_V034 = `# TOML, written by cometbft init (v0.34)

#######################################################################
###                   Main Base Config Options                      ###
#######################################################################

# ABCI application
proxy_app = "tcp://127.0.0.1:26658"

# node name
moniker = "sentry-eu-1"

fast_sync = true

db_backend = "goleveldb"

db_dir = "data"

log_level = "p2p:debug,*:info"

log_format = "json"

genesis_file = "config/genesis.json"

priv_validator_key_file = "config/priv_validator_key.json"

priv_validator_state_file = "data/priv_validator_state.json"

priv_validator_laddr = ""

node_key_file = "config/node_key.json"

abci = "socket"

filter_peers = false

#######################################################
###       RPC Server Configuration Options          ###
#######################################################
[rpc]

laddr = "tcp://127.0.0.1:26657"

cors_allowed_origins = ["*", ]

cors_allowed_methods = ["HEAD", "GET", "POST", ]

cors_allowed_headers = ["Origin", "Accept", "Content-Type", "X-Requested-With", "X-Server-Time", ]

grpc_laddr = ""

grpc_max_open_connections = 900

unsafe = false

max_open_connections = 900

max_subscription_clients = 100

max_subscriptions_per_client = 5

experimental_subscription_buffer_size = 200

experimental_websocket_write_buffer_size = 200

experimental_close_on_slow_client = false

timeout_broadcast_tx_commit = "10s"

max_body_bytes = 1000000

max_header_bytes = 1048576

tls_cert_file = ""

tls_key_file = ""

pprof_laddr = "localhost:6060"

#######################################################
###           P2P Configuration Options             ###
#######################################################
[p2p]

laddr = "tcp://0.0.0.0:26656"

external_address = "203.0.113.7:26656"

seeds = "${ID_A}@seed-1.example.org:26656,${ID_B}@198.51.100.20:26656"

persistent_peers = "${ID_C}@10.0.0.5:26656, ${ID_A}@[2001:db8::1]:26656"

upnp = false

addr_book_file = "config/addrbook.json"

addr_book_strict = false

max_num_inbound_peers = 120

max_num_outbound_peers = 30

unconditional_peer_ids = "${ID_C}"

persistent_peers_max_dial_period = "1m30s"

flush_throttle_timeout = "10ms"

max_packet_msg_payload_size = 10240

send_rate = 20480000

recv_rate = 20480000

pex = true

seed_mode = false

private_peer_ids = "${ID_C},${ID_B}"

allow_duplicate_ip = true

handshake_timeout = "20s"
dial_timeout = "3s"

#######################################################
###          Mempool Configuration Option          ###
#######################################################
[mempool]

version = "v0"

recheck = true
broadcast = true
wal_dir = ""

size = 5000

max_txs_bytes = 1073741824

cache_size = 10000

keep-invalid-txs-in-cache = false

max_tx_bytes = 1048576

max_batch_bytes = 0

ttl-duration = "0s"

ttl-num-blocks = 0

#######################################################
###         State Sync Configuration Options        ###
#######################################################
[statesync]
enable = false

rpc_servers = ""
trust_height = 0
trust_hash = ""
trust_period = "168h0m0s"

discovery_time = "15s"

temp_dir = ""

chunk_request_timeout = "10s"

chunk_fetchers = "4"

#######################################################
###       Fast Sync Configuration Connections       ###
#######################################################
[fastsync]

version = "v0"

#######################################################
###         Consensus Configuration Options         ###
#######################################################
[consensus]

wal_file = "data/cs.wal/wal"

timeout_propose = "3s"
timeout_propose_delta = "500ms"
timeout_prevote = "1s"
timeout_prevote_delta = "500ms"
timeout_precommit = "1s"
timeout_precommit_delta = "500ms"
timeout_commit = "5s"

double_sign_check_height = 0

skip_timeout_commit = false

create_empty_blocks = true
create_empty_blocks_interval = "0s"

peer_gossip_sleep_duration = "100ms"
peer_query_maj23_sleep_duration = "2s"

#######################################################
###         Storage Configuration Options           ###
#######################################################
[storage]

discard_abci_responses = false

#######################################################
###   Transaction Indexer Configuration Options     ###
#######################################################
[tx_index]

indexer = "kv"

psql-conn = ""

#######################################################
###       Instrumentation Configuration Options     ###
#######################################################
[instrumentation]

prometheus = true

prometheus_listen_addr = ":26660"

max_open_connections = 3

namespace = "cometbft"
`

/** A v0.38.x file: version key, no fast_sync or upnp, experimental mempool keys, [blocksync]. */
export const CONFIG_V038 = `# TOML, written by cometbft init (v0.38)

version = "0.38.1"

proxy_app = "tcp://127.0.0.1:26658"

moniker = "archive-node"

db_backend = "goleveldb"

db_dir = "data"

log_level = "info"

log_format = "plain"

genesis_file = "config/genesis.json"

priv_validator_key_file = "config/priv_validator_key.json"

priv_validator_state_file = "data/priv_validator_state.json"

priv_validator_laddr = ""

node_key_file = "config/node_key.json"

abci = "socket"

filter_peers = false

[rpc]

laddr = "tcp://127.0.0.1:26657"

cors_allowed_origins = []

cors_allowed_methods = ["HEAD", "GET", "POST", ]

cors_allowed_headers = ["Origin", "Accept", "Content-Type", "X-Requested-With", "X-Server-Time", ]

grpc_laddr = ""

grpc_max_open_connections = 900

unsafe = false

max_open_connections = 900

max_subscription_clients = 100

max_subscriptions_per_client = 5

experimental_subscription_buffer_size = 200

experimental_websocket_write_buffer_size = 200

experimental_close_on_slow_client = false

timeout_broadcast_tx_commit = "10s"

max_body_bytes = 1000000

max_header_bytes = 1048576

tls_cert_file = ""

tls_key_file = ""

pprof_laddr = ""

[p2p]

laddr = "tcp://0.0.0.0:36656"

external_address = ""

seeds = "${ID_B}@seeds.example.net:26656"

persistent_peers = ""

addr_book_file = "/var/lib/cometbft/addrbook.json"

addr_book_strict = true

max_num_inbound_peers = 40

max_num_outbound_peers = 10

unconditional_peer_ids = ""

persistent_peers_max_dial_period = "0s"

flush_throttle_timeout = "100ms"

max_packet_msg_payload_size = 1024

send_rate = 5120000

recv_rate = 5120000

pex = false

seed_mode = false

private_peer_ids = ""

allow_duplicate_ip = false

handshake_timeout = "20s"
dial_timeout = "3s"

[mempool]

recheck = true

broadcast = true

wal_dir = ""

size = 5000

max_txs_bytes = 1073741824

cache_size = 10000

keep-invalid-txs-in-cache = false

max_tx_bytes = 1048576

max_batch_bytes = 0

experimental_max_gossip_connections_to_persistent_peers = 0
experimental_max_gossip_connections_to_non_persistent_peers = 0

[statesync]
enable = false

rpc_servers = ""
trust_height = 0
trust_hash = ""
trust_period = "168h0m0s"

discovery_time = "15s"

temp_dir = ""

chunk_request_timeout = "10s"

chunk_fetchers = "4"

[blocksync]

version = "v0"

[consensus]

wal_file = "data/cs.wal/wal"

timeout_propose = "3s"
timeout_propose_delta = "500ms"
timeout_prevote = "1s"
timeout_prevote_delta = "500ms"
timeout_precommit = "1s"
timeout_precommit_delta = "500ms"
timeout_commit = "1s"

double_sign_check_height = 0

skip_timeout_commit = false

create_empty_blocks = true
create_empty_blocks_interval = "0s"

peer_gossip_sleep_duration = "100ms"
peer_query_maj23_sleep_duration = "2s"

[storage]

discard_abci_responses = false

[tx_index]

indexer = "kv"

psql-conn = ""

[instrumentation]

prometheus = false

prometheus_listen_addr = ":26660"

max_open_connections = 3

namespace = "cometbft"
`
