// kafka_mock_broker: librdkafka's mock Kafka cluster as a process of its own,
// so that several `stockpile serve` processes can share it in the
// distributed end-to-end test (tests/e2e/distributed_e2e_test.py --broker
// kafka). Not a real broker: see transport/kafka_mock_cluster.h.
//
//   kafka_mock_broker        prints "kafka://127.0.0.1:<port>" and a newline,
//                            then reads commands from stdin, one per line:
//     down                   the broker closes its connections, refuses new
//     up                     and takes them again
//   end of input             exits 0
//
// Listens on loopback only.
#include <iostream>
#include <string>

#include "transport/kafka_mock_cluster.h"

int main() {
  auto cluster = stockpile::transport::KafkaMockCluster::Start(1);
  if (!cluster.ok()) {
    std::cerr << "kafka_mock_broker: " << cluster.status().ToString() << "\n";
    return 1;
  }
  std::cout << (*cluster)->url() << std::endl;
  std::string line;
  while (std::getline(std::cin, line)) {
    stockpile::core::Status s = stockpile::core::Status::Ok();
    if (line == "down") {
      s = (*cluster)->SetBrokerDown(1);
    } else if (line == "up") {
      s = (*cluster)->SetBrokerUp(1);
    } else if (!line.empty()) {
      std::cerr << "kafka_mock_broker: unknown command '" << line << "'\n";
      continue;
    }
    std::cout << (s.ok() ? "ok" : s.ToString()) << std::endl;
  }
  return 0;
}
