"""A bare Flask "hello" app: the baseline the home page's throughput is compared with."""
from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "Hello"
