// C++ side of the RPC benchmark (see capnp/README.md, "Benchmark").
//   bench serve <address>                      serve test.capnp's Calculator (prints "listening <port>")
//   bench client <address> <seconds> <inflight> call Calculator.add for <seconds> keeping <inflight>
//                                              calls outstanding; prints "calls=N seconds=S p50us=X p99us=Y"
#include "test.capnp.h"
#include <capnp/ez-rpc.h>
#include <kj/async-io.h>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <vector>

using Clock = std::chrono::steady_clock;

class CalculatorImpl final : public Calculator::Server {
protected:
  kj::Promise<void> add(AddContext context) override {
    auto params = context.getParams();
    context.getResults().setSum(params.getA() + params.getB());
    return kj::READY_NOW;
  }
};

struct Run {
  Calculator::Client calculator;
  Clock::time_point deadline;
  std::vector<int64_t> latenciesNs;
};

static kj::Promise<void> chain(Run& run) {
  auto start = Clock::now();
  if (start >= run.deadline) return kj::READY_NOW;
  auto req = run.calculator.addRequest();
  req.setA(1);
  req.setB(2);
  return req.send().then([&run, start](auto&& response) {
    KJ_ASSERT(response.getSum() == 3);
    run.latenciesNs.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count());
    return chain(run);
  });
}

static void measure(Run& run, kj::WaitScope& ws, double seconds, int inflight) {
  run.latenciesNs.clear();
  run.deadline = Clock::now() + std::chrono::microseconds((int64_t) (seconds * 1e6));
  kj::Vector<kj::Promise<void>> chains;
  for (int i = 0; i < inflight; i++) chains.add(chain(run));
  kj::joinPromises(chains.releaseAsArray()).wait(ws);
}

int main(int argc, char** argv) {
  if (argc >= 3 && std::string(argv[1]) == "serve") {
    capnp::EzRpcServer server(kj::heap<CalculatorImpl>(), argv[2]);
    auto& ws = server.getWaitScope();
    std::cout << "listening " << server.getPort().wait(ws) << std::endl;
    kj::NEVER_DONE.wait(ws);
  }
  if (argc >= 5 && std::string(argv[1]) == "client") {
    capnp::EzRpcClient client(argv[2]);
    auto& ws = client.getWaitScope();
    Run run{client.getMain<Calculator>(), Clock::now(), {}};
    double seconds = atof(argv[3]);
    int inflight = atoi(argv[4]);
    measure(run, ws, 0.5, inflight);  // warm up (the JIT, on a Java server)
    auto started = Clock::now();
    measure(run, ws, seconds, inflight);
    double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
    std::sort(run.latenciesNs.begin(), run.latenciesNs.end());
    size_t n = run.latenciesNs.size();
    std::cout << "calls=" << n << " seconds=" << elapsed
              << " p50us=" << run.latenciesNs[n / 2] / 1000.0
              << " p99us=" << run.latenciesNs[(n * 99) / 100] / 1000.0 << std::endl;
    return 0;
  }
  std::cerr << "usage: bench serve <address> | bench client <address> <seconds> <inflight>" << std::endl;
  return 2;
}
